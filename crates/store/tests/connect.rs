//! Opening a store from a URL: backend choice, file creation and secret-free errors.

use std::error::Error;

use ticketbooth_store::{Backend, ErrorKind, connect};

/// Every message in an error's chain, Display and Debug.
fn everything_printed(err: &(dyn Error + 'static)) -> String {
    let mut out = format!("{err} {err:?}");
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    out
}

#[tokio::test]
async fn a_plain_path_creates_a_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let store = connect(path.to_str().unwrap()).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert!(path.exists());
    assert!(store.size_bytes().await.unwrap() > 0);
}

#[tokio::test]
async fn sqlite_urls_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        format!("sqlite:{}", dir.path().join("a.db").display()),
        format!("sqlite://{}", dir.path().join("b.db").display()),
    ] {
        let store = connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite, "{url}");
    }
    assert!(dir.path().join("a.db").exists());
    assert!(dir.path().join("b.db").exists());
}

#[tokio::test]
async fn unsupported_and_empty_urls_are_refused() {
    for url in ["", "  ", "mysql://root:pw@localhost/db", "redis://x"] {
        let err = connect(url).await.err().expect("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidUrl, "{url:?}");
        assert!(!everything_printed(&err).contains(":pw@"), "{url:?}");
    }
}

#[tokio::test]
async fn a_failed_connection_never_shows_the_password() {
    // Port 1 on localhost refuses at once.
    let err = connect("postgres://bob:hunter2secret@127.0.0.1:1/tickets")
        .await
        .err()
        .expect("nothing listens on port 1");
    assert_eq!(err.kind(), ErrorKind::Connect);
    let printed = everything_printed(&err);
    assert!(!printed.contains("hunter2secret"), "{printed}");
    assert!(
        printed.contains("127.0.0.1:1"),
        "says where it tried: {printed}"
    );
}
