//! A work item's description, web links and comments, for pages and API alike. Reading them
//! needs the item in the caller's view; writing needs the right to work on it (members and
//! up, or a partner on its own item; a viewer writes nothing).

use super::work::{view, visible, workable};
use super::{Caller, OpError};
use crate::AppState;
use keel_domain::access::Reader;
use keel_domain::work::notes::{self, CommentDraft, LinkDraft, LinkInput};
use keel_domain::work::WorkItem;
use keel_domain::Invalid;
use keel_store::{WorkComment, WorkWebLink};

pub async fn description(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<String, OpError> {
    visible(st, c, reader, id).await?;
    Ok(st.store.work_description(c.ws, id).await?)
}

/// Replaces the description if the item is still at `expected`; answers the new version.
pub async fn set_description(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    expected: i64,
    raw: &str,
) -> Result<i64, OpError> {
    workable(st, c, reader, id).await?;
    let d = notes::description(raw).map_err(|m| Invalid::one("description", m))?;
    Ok(st
        .store
        .set_work_description(c.ws, id, expected, &d)
        .await?)
}

pub async fn web_links(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<Vec<WorkWebLink>, OpError> {
    visible(st, c, reader, id).await?;
    Ok(st.store.list_web_links(c.ws, id).await?)
}

pub async fn add_web_link(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    input: &LinkInput,
) -> Result<WorkWebLink, OpError> {
    workable(st, c, reader, id).await?;
    let d = LinkDraft::parse(input)?;
    Ok(st.store.add_web_link(c.ws, id, &d, Some(c.user_id)).await?)
}

pub async fn remove_web_link(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    link: i64,
    expected: i64,
) -> Result<(), OpError> {
    workable(st, c, reader, id).await?;
    Ok(st.store.delete_web_link(c.ws, id, link, expected).await?)
}

pub async fn comments(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<Vec<WorkComment>, OpError> {
    visible(st, c, reader, id).await?;
    Ok(st.store.list_comments(c.ws, id).await?)
}

/// Adds a comment; the people it names with `@Name` are among those the author sees.
pub async fn add_comment(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    body: &str,
) -> Result<WorkComment, OpError> {
    workable(st, c, reader, id).await?;
    let seen = view(st, c, reader).await?;
    let d = CommentDraft::parse(body, &seen.people)?;
    Ok(st
        .store
        .add_comment(c.ws, id, &d, c.person_id, Some(c.user_id))
        .await?)
}

/// Removes a comment: its author may, and so may an owner or admin.
pub async fn remove_comment(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    comment: i64,
    expected: i64,
) -> Result<(), OpError> {
    workable(st, c, reader, id).await?;
    let found = st
        .store
        .find_comment(c.ws, id, comment)
        .await?
        .ok_or(OpError::NotFound)?;
    if found.by_user != Some(c.user_id) && !c.role.can_manage() {
        return Err(OpError::Forbidden(
            "Only who wrote a comment, or an owner or admin, can remove it.".into(),
        ));
    }
    Ok(st.store.delete_comment(c.ws, id, comment, expected).await?)
}

/// The newest comments naming the caller's person on work the caller sees, with the item.
pub async fn naming_me(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    limit: usize,
) -> Result<Vec<(WorkComment, WorkItem)>, OpError> {
    let Some(me) = c.person_id else {
        return Ok(vec![]);
    };
    let mut out = Vec::new();
    // Fetch a few more than shown: some may be on work the caller no longer sees.
    for cm in st
        .store
        .comments_naming(c.ws, me, (limit * 3) as i64)
        .await?
    {
        if out.len() == limit {
            break;
        }
        if let Some(w) = st.store.find_work(c.ws, cm.item_id).await? {
            if reader.can_see_work(&w) {
                out.push((cm, w));
            }
        }
    }
    Ok(out)
}
