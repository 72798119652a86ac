//! Configuration: the shipped file `config/sealgate.toml`, or the file a site provides.

use std::path::{Path, PathBuf};

use sealgate_models::paths::Paths;
use sealgate_pipeline::compare::CompareConfig;
use sealgate_pipeline::face::FaceConfig;
use sealgate_pipeline::image::DecodeLimits;
use sealgate_pipeline::inspect::InspectConfig;
use sealgate_pipeline::ocr::{PpOcrConfig, TesseractConfig};
use sealgate_pipeline::page::PageConfig;
use serde::Deserialize;

use crate::service::settings::ServiceConfig;

const SHIPPED: &str = include_str!("../../config/sealgate.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub decode: DecodeConfig,
    pub face: FaceConfig,
    #[serde(default)]
    pub ocr: OcrSection,
    /// `[compare]`: comparing a page photo with the approved original.
    #[serde(default)]
    pub compare: CompareConfig,
    /// `[inspect]`: post-stamp checks (blank pages, page identity, seal impressions).
    #[serde(default)]
    pub inspect: InspectConfig,
    /// `[service]`: `sealgate serve` (listen address, database, evidence store).
    #[serde(default)]
    pub service: ServiceConfig,
}

/// `[ocr]`: the page reader and both engines.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OcrSection {
    pub ppocr: PpOcrConfig,
    pub page: PageConfig,
    pub tesseract: TesseractConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodeConfig {
    pub max_pixels: u64,
}

impl Config {
    /// Load from `explicit`, else `$SEALGATE_CONFIG`, else `<root>/config/sealgate.toml`, else the
    /// copy built into the binary. Where it came from is returned for logs and reports.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<(Config, String)> {
        let candidate = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("SEALGATE_CONFIG").map(PathBuf::from))
            .or_else(|| Some(Paths::discover().root.join("config").join("sealgate.toml")).filter(|p| p.is_file()));
        let (text, origin) = match candidate {
            Some(p) => (
                std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", p.display()))?,
                p.display().to_string(),
            ),
            None => (SHIPPED.to_string(), "built-in config/sealgate.toml".to_string()),
        };
        let config = Config::parse(&text).map_err(|e| anyhow::anyhow!("config {origin}: {e}"))?;
        Ok((config, origin))
    }

    /// The configuration shipped with this build.
    pub fn shipped() -> Config {
        Config::parse(SHIPPED).expect("the shipped config is valid (tested)")
    }

    pub fn parse(text: &str) -> anyhow::Result<Config> {
        let config: Config = toml::from_str(text)?;
        config.face.validate().map_err(anyhow::Error::msg)?;
        config.ocr.ppocr.validate().map_err(anyhow::Error::msg)?;
        config.compare.validate().map_err(anyhow::Error::msg)?;
        config.inspect.validate().map_err(anyhow::Error::msg)?;
        config.service.validate().map_err(anyhow::Error::msg)?;
        anyhow::ensure!(config.decode.max_pixels > 0, "decode.max_pixels must be positive");
        Ok(config)
    }

    pub fn decode_limits(&self) -> DecodeLimits {
        DecodeLimits { max_pixels: self.decode.max_pixels }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_is_valid_and_bad_values_are_refused() {
        let c = Config::shipped();
        assert!(c.face.match_threshold > 0.0);
        let broken = SHIPPED.replace("detector_input_side = 320", "detector_input_side = 321");
        assert!(Config::parse(&broken).is_err());
        assert!(Config::parse("[face]\nnope = 1").is_err());
    }
}
