//! The dev server's HTTP side: the built site (and nothing outside it), the
//! live-reload event stream and the current state.
//!
//! Files are served by tower-http's `ServeDir`, which rejects `..`,
//! encoded traversal and absolute paths, sets content types, and answers
//! missing files with the theme's `404.html` and status 404. The output
//! folder holds only files coachbook wrote (never symlinks), so nothing
//! leads outside it.

use super::State;
use axum::extract::State as AxState;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tower_http::services::{ServeDir, ServeFile};

/// The server for the site built into `out`, mounted at `base_path`
/// (`/` or `/sub/path/`).
pub fn router(out: &Path, base_path: &str, state: Arc<State>) -> Router {
    let files = ServeDir::new(out)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(out.join("404.html")));
    let prefix = base_path.trim_end_matches('/');
    let api = Router::new()
        .route(&format!("{prefix}/__coachbook/events"), get(events))
        .route(&format!("{prefix}/__coachbook/status"), get(status))
        .with_state(state);
    if prefix.is_empty() {
        api.fallback_service(files)
    } else {
        let target = format!("{prefix}/");
        api.route(
            "/",
            get(move || async move { Redirect::temporary(&target) }),
        )
        .nest_service(prefix, files)
    }
}

async fn status(AxState(state): AxState<Arc<State>>) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        state.json(),
    )
        .into_response()
}

async fn events(
    AxState(state): AxState<Arc<State>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let now = state.json();
    let updates = BroadcastStream::new(state.tx.subscribe()).filter_map(|m| m.ok());
    let stream = tokio_stream::once(now)
        .chain(updates)
        .map(|json| Ok(Event::default().data(json)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}
