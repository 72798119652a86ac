//! Binary request bodies (frames, page photos, seal templates, originals): the content type must be
//! one the endpoint takes and the bytes must start like that type; the size limit is the router's.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;

use super::error::ApiError;
use super::evidence::sniff;

/// An image body: `image/jpeg`, `image/png` or `image/webp`.
pub struct ImageUpload(pub Vec<u8>);

/// An original's page: an image, or `application/pdf`.
pub struct DocumentUpload(pub Vec<u8>);

const IMAGES: &[&str] = &["image/jpeg", "image/png", "image/webp"];
const DOCUMENTS: &[&str] = &["image/jpeg", "image/png", "image/webp", "application/pdf"];

async fn read(req: Request, allowed: &[&str], what: &'static str) -> Result<Vec<u8>, ApiError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !allowed.contains(&content_type.as_str()) {
        return Err(ApiError::UnsupportedMediaType(what));
    }
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
    if sniff(&bytes) != content_type {
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
        read(req, DOCUMENTS, "an image or application/pdf").await.map(DocumentUpload)
    }
}
