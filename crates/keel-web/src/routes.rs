//! Every route of keel, registered through one recorder so tests can walk them all.

use crate::{api, assets, layers, monitoring, pages, AppState};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter};
use axum::Router;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
}

pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Routes {
    fn add<H, T>(
        mut self,
        method: Method,
        filter: MethodFilter,
        path: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.list.push(RouteInfo { method, path });
        self.router = self.router.route(path, on(filter, handler));
        self
    }
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, MethodFilter::GET, path, h)
    }
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, MethodFilter::POST, path, h)
    }
    /// A POST that takes a file (a lead upload): its body streams to disk under the
    /// configured import limit instead of the request limit (`lead_upload::receive`).
    pub fn upload<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, h: H) -> Self {
        self.list.push(RouteInfo {
            method: Method::POST,
            path,
        });
        self.router = self.router.route(
            path,
            on(MethodFilter::POST, h).layer(axum::extract::DefaultBodyLimit::disable()),
        );
        self
    }
    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::PUT, MethodFilter::PUT, path, h)
    }
    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::DELETE, MethodFilter::DELETE, path, h)
    }

    /// Every registered (method, path).
    pub fn list(&self) -> &[RouteInfo] {
        &self.list
    }

    pub fn into_router(self, state: AppState) -> Router {
        let limit = state.config.max_body_bytes;
        self.router
            .fallback(pages::not_found)
            .layer(axum::extract::DefaultBodyLimit::max(limit))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                layers::session,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                layers::request_id,
            ))
            .with_state(state)
    }
}

pub fn routes() -> Routes {
    let r = Routes {
        router: Router::new(),
        list: Vec::new(),
    };
    let r = r
        .get("/healthz", monitoring::healthz)
        .get("/readyz", monitoring::readyz)
        .get("/metrics", monitoring::metrics)
        .get("/assets/{file}", assets::serve);
    let r = pages::routes(r);
    api::routes(r)
}

/// The list of every route keel serves.
pub fn all() -> Vec<RouteInfo> {
    routes().list
}
