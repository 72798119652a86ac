//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations as the router is
//! built (so a route cannot be served without being documented), served at `/openapi.json`, with a
//! self-contained browsable page at `/docs` (no script or style from elsewhere).

use axum::Json;
use axum::response::Html;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

use super::error::Problem;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "SealGate",
        description = "Decides with computer vision whether a company seal may be used, and gates the cabinets and locks that hold it. Every request under /api/v1 carries `Authorization: Bearer sgt_...`; errors are RFC 9457 problem details with a stable `code`."
    ),
    components(schemas(Problem))
)]
pub struct ApiDoc;

/// A binary request body (an image or a PDF), in the document.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(#[allow(dead_code)] Vec<u8>);

/// The errors every `/api/v1` operation may answer.
const PROBLEMS: [(&str, &str); 7] = [
    ("400", "malformed request (problem details)"),
    ("401", "no valid API token"),
    ("403", "the caller's role does not allow this"),
    ("404", "not found, or not shown to this caller"),
    ("413", "request body too large"),
    ("415", "wrong content type"),
    ("500", "internal error; the cause is in the service log"),
];

/// Add the bearer-token scheme, and to every `/api/v1` operation its security requirement and
/// problem-details error responses.
pub fn finish(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components
        .add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    for (path, item) in api.paths.paths.iter_mut() {
        for op in
            [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
        {
            // Handler names repeat across resources (`list`, `read`): qualify them by their tag.
            if let (Some(id), Some(tag)) = (&op.operation_id, op.tags.as_ref().and_then(|t| t.first())) {
                op.operation_id = Some(format!("{tag}_{id}"));
            }
            for response in op.responses.responses.values_mut() {
                if let utoipa::openapi::RefOr::T(r) = response
                    && r.description.is_empty()
                {
                    r.description = "success".into();
                }
            }
        }
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for op in
            [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
        {
            op.security = Some(vec![SecurityRequirement::new("token", Vec::<String>::new())]);
            for (code, description) in PROBLEMS {
                let response = ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                    )
                    .build();
                op.responses.responses.entry(code.to_string()).or_insert_with(|| response.into());
            }
        }
    }
}

pub async fn document(axum::extract::State(api): axum::extract::State<std::sync::Arc<OpenApi>>) -> Json<OpenApi> {
    Json((*api).clone())
}

pub async fn docs() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}
