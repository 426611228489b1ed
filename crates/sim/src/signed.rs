//! Interactions delivered as Ed25519-signed HTTP POSTs, as Discord does for an application
//! with an interactions endpoint URL: the signing key, the signature over
//! `timestamp || body`, PINGs, and the deliberately bad signatures Discord sends to check that
//! the endpoint refuses them (a correct endpoint answers 401).
//!
//! Only `http://` URLs are supported: the simulator delivers to a bot on the same machine.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// Header carrying the hex signature.
pub const SIGNATURE_HEADER: &str = "X-Signature-Ed25519";
/// Header carrying the timestamp that was signed with the body.
pub const TIMESTAMP_HEADER: &str = "X-Signature-Timestamp";

/// How long a delivery may take before it is given up (Discord itself fails an interaction
/// after 3 seconds; callers compare [`Delivery::elapsed`] with that).
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a delivery did not produce a response.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The URL is not a plain `http://host[:port]/path` URL.
    #[error("unsupported interactions URL {0:?}: only http:// URLs are supported")]
    BadUrl(String),
    /// Connecting or talking to the endpoint failed.
    #[error("could not deliver to the interactions endpoint: {0}")]
    Io(#[from] std::io::Error),
    /// The HTTP exchange failed.
    #[error("HTTP error talking to the interactions endpoint: {0}")]
    Http(#[from] hyper::Error),
    /// The endpoint did not answer within the delivery timeout.
    #[error("the interactions endpoint did not answer within {0:?}")]
    Timeout(Duration),
}

/// The endpoint's answer to one delivery.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// HTTP status.
    pub status: u16,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// The raw body.
    pub body: Bytes,
    /// How long the endpoint took to answer.
    pub elapsed: Duration,
}

/// The application's signing key: what Discord holds, the bot knows only the public half.
#[derive(Debug, Clone)]
pub struct InteractionSigner {
    key: SigningKey,
    application_id: u64,
}

impl InteractionSigner {
    /// A fresh random key for `application_id`.
    pub fn generate(application_id: u64) -> Self {
        Self::from_seed(rand::random(), application_id)
    }

    /// A key from a 32-byte seed, for reproducible tests.
    pub fn from_seed(seed: [u8; 32], application_id: u64) -> Self {
        InteractionSigner {
            key: SigningKey::from_bytes(&seed),
            application_id,
        }
    }

    /// The public key as Discord shows it in the developer portal: 64 hex digits.
    pub fn public_key_hex(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }

    /// The hex signature of `timestamp || body`.
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let mut message = Vec::with_capacity(timestamp.len() + body.len());
        message.extend_from_slice(timestamp.as_bytes());
        message.extend_from_slice(body);
        hex(&self.key.sign(&message).to_bytes())
    }

    /// POSTs `payload` to `url`, signed, and returns the endpoint's answer.
    pub async fn deliver(&self, url: &str, payload: &Value) -> Result<Delivery, DeliveryError> {
        let body = payload.to_string().into_bytes();
        let timestamp = unix_timestamp();
        let signature = self.sign(&timestamp, &body);
        post(url, body, &timestamp, &signature).await
    }

    /// Delivers a PING (type 1); a correct endpoint answers `{"type": 1}`.
    pub async fn ping(&self, url: &str) -> Result<Delivery, DeliveryError> {
        self.deliver(url, &self.ping_payload()).await
    }

    /// Delivers a PING whose signature does not match, as Discord does to test endpoints; a
    /// correct endpoint answers 401.
    pub async fn deliver_with_bad_signature(&self, url: &str) -> Result<Delivery, DeliveryError> {
        let body = self.ping_payload().to_string().into_bytes();
        let timestamp = unix_timestamp();
        // A valid signature of other bytes: well-formed, so only real verification catches it.
        let signature = self.sign(&timestamp, b"{\"type\":1,\"tampered\":true}");
        post(url, body, &timestamp, &signature).await
    }

    fn ping_payload(&self) -> Value {
        json!({
            "id": (rand::random::<u64>() >> 1).to_string(),
            "application_id": self.application_id.to_string(),
            "type": 1,
            "token": format!("ping.{:016x}", rand::random::<u64>()),
            "version": 1,
        })
    }
}

/// Checks a delivery the way an endpoint must: the hex signature over `timestamp || body`
/// with the application's hex public key. Malformed hex is a failed check, not an error.
pub fn verify(public_key_hex: &str, signature_hex: &str, timestamp: &str, body: &[u8]) -> bool {
    let Some(key) = unhex::<32>(public_key_hex) else {
        return false;
    };
    let Some(signature) = unhex::<64>(signature_hex) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&key) else {
        return false;
    };
    let mut message = Vec::with_capacity(timestamp.len() + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(body);
    key.verify(&message, &Signature::from_bytes(&signature))
        .is_ok()
}

fn unix_timestamp() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

async fn post(
    url: &str,
    body: Vec<u8>,
    timestamp: &str,
    signature: &str,
) -> Result<Delivery, DeliveryError> {
    let uri: Uri = url
        .parse()
        .map_err(|_| DeliveryError::BadUrl(url.to_owned()))?;
    if uri.scheme_str() != Some("http") {
        return Err(DeliveryError::BadUrl(url.to_owned()));
    }
    let authority = uri
        .authority()
        .ok_or_else(|| DeliveryError::BadUrl(url.to_owned()))?
        .clone();
    let address = format!(
        "{}:{}",
        authority.host(),
        authority.port_u16().unwrap_or(80)
    );
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(http::header::HOST, authority.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(
            http::header::USER_AGENT,
            "Discord-Interactions/1.0 (+https://discord.com)",
        )
        .header(SIGNATURE_HEADER, signature)
        .header(TIMESTAMP_HEADER, timestamp)
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| DeliveryError::BadUrl(url.to_owned()))?;

    let started = Instant::now();
    let exchange = async {
        let stream = tokio::net::TcpStream::connect(address).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        // The connection task ends when the exchange does; its own error shows up in the
        // response future, so it is not reported twice.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        Ok::<_, DeliveryError>((status, body))
    };
    let (status, body) = tokio::time::timeout(DELIVERY_TIMEOUT, exchange)
        .await
        .map_err(|_| DeliveryError::Timeout(DELIVERY_TIMEOUT))??;
    Ok(Delivery {
        status,
        json: serde_json::from_slice(&body).ok(),
        body,
        elapsed: started.elapsed(),
    })
}

/// A tiny endpoint that verifies like a correct bot: it must accept good deliveries and
/// refuse bad signatures.
#[cfg(test)]
mod tests {
    use super::{DeliveryError, InteractionSigner, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify};
    use axum::Router;
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use serde_json::{Value, json};

    /// Starts an endpoint that checks signatures with `public_key` and answers PINGs; returns its
    /// URL.
    async fn endpoint(public_key: String) -> String {
        let app = Router::new().route(
            "/interactions",
            post(move |headers: HeaderMap, body: Bytes| {
                let public_key = public_key.clone();
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned()
                    };
                    let (signature, timestamp) =
                        (header(SIGNATURE_HEADER), header(TIMESTAMP_HEADER));
                    if !verify(&public_key, &signature, &timestamp, &body) {
                        return (
                            StatusCode::UNAUTHORIZED,
                            axum::Json(json!({"error": "bad signature"})),
                        );
                    }
                    let payload: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    match payload["type"].as_u64() {
                        Some(1) => (StatusCode::OK, axum::Json(json!({"type": 1}))),
                        _ => (
                            StatusCode::OK,
                            axum::Json(
                                json!({"type": 4, "data": {"content": payload["data"]["name"]}}),
                            ),
                        ),
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        format!("http://{address}/interactions")
    }

    #[tokio::test]
    async fn a_verifying_endpoint_accepts_good_deliveries_and_refuses_bad_ones() {
        let signer = InteractionSigner::from_seed([7; 32], 1234);
        let url = endpoint(signer.public_key_hex()).await;

        let pong = signer.ping(&url).await.unwrap();
        assert_eq!(pong.status, 200);
        assert_eq!(pong.json, Some(json!({"type": 1})));

        let command = json!({"type": 2, "id": "1", "token": "t", "data": {"name": "ticket"}});
        let answer = signer.deliver(&url, &command).await.unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json.unwrap()["data"]["content"], "ticket");

        let refused = signer.deliver_with_bad_signature(&url).await.unwrap();
        assert_eq!(refused.status, 401);

        // Another application's key does not pass this endpoint either.
        let stranger = InteractionSigner::from_seed([8; 32], 1234);
        assert_eq!(stranger.ping(&url).await.unwrap().status, 401);
    }

    #[test]
    fn signatures_cover_timestamp_and_body() {
        let signer = InteractionSigner::generate(1);
        let key = signer.public_key_hex();
        assert_eq!(key.len(), 64);
        let body = br#"{"type":1}"#;
        let signature = signer.sign("1700000000", body);
        assert_eq!(signature.len(), 128);
        assert!(verify(&key, &signature, "1700000000", body));
        assert!(!verify(&key, &signature, "1700000001", body), "timestamp");
        assert!(
            !verify(&key, &signature, "1700000000", br#"{"type":2}"#),
            "body"
        );
        assert!(
            !verify(&key, "zz", "1700000000", body),
            "malformed signature"
        );
        assert!(
            !verify("00", &signature, "1700000000", body),
            "malformed key"
        );
        let other = InteractionSigner::generate(1);
        assert!(!verify(
            &other.public_key_hex(),
            &signature,
            "1700000000",
            body
        ));
    }

    #[tokio::test]
    async fn only_plain_http_urls_are_delivered_to() {
        let signer = InteractionSigner::generate(1);
        for url in ["https://example.com/i", "not a url", "ftp://x/y"] {
            assert!(
                matches!(signer.ping(url).await, Err(DeliveryError::BadUrl(_))),
                "{url}"
            );
        }
    }
}
