//! Binary request bodies (frames, page photos, seal templates, originals): the content type must be
//! one the endpoint takes and the bytes must start like that type; the size limit is the router's.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;

use super::error::ApiError;

/// An image body: `image/jpeg`, `image/png` or `image/webp`.
pub struct ImageUpload(pub Vec<u8>);

/// An original's page: an image, or `application/pdf`.
pub struct DocumentUpload(pub Vec<u8>);

const IMAGES: &[(&str, &[u8])] =
    &[("image/jpeg", b"\xff\xd8\xff"), ("image/png", b"\x89PNG\r\n\x1a\n"), ("image/webp", b"RIFF")];
const PDF: (&str, &[u8]) = ("application/pdf", b"%PDF-");

async fn read(req: Request, allowed: &[(&str, &[u8])], what: &'static str) -> Result<Vec<u8>, ApiError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let Some(&(_, magic)) = allowed.iter().find(|(t, _)| *t == content_type) else {
        return Err(ApiError::UnsupportedMediaType(what));
    };
    let bytes = Bytes::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    if bytes.is_empty() {
        return Err(ApiError::BadRequest("the body is empty".into()));
    }
    if !bytes.starts_with(magic) {
        return Err(ApiError::BadRequest(format!("the body is not {content_type}")));
    }
    Ok(bytes.to_vec())
}

impl<S: Send + Sync> FromRequest<S> for ImageUpload {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        read(req, IMAGES, "image/jpeg, image/png or image/webp").await.map(ImageUpload)
    }
}

impl<S: Send + Sync> FromRequest<S> for DocumentUpload {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let allowed = [IMAGES[0], IMAGES[1], IMAGES[2], PDF];
        read(req, &allowed, "an image or application/pdf").await.map(DocumentUpload)
    }
}
