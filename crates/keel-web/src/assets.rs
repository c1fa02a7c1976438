//! Static files built into the binary: nothing is loaded from a CDN.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "pico.min.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/pico-2.1.1.min.css"),
    },
    Asset {
        name: "keel.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/keel.css"),
    },
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/htmx-2.0.11.min.js"),
    },
    Asset {
        name: "keel.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/keel.js"),
    },
    Asset {
        name: "sortable.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/sortable-1.15.7.min.js"),
    },
    Asset {
        name: "board.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/board.js"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            a.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
