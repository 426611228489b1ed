//! A fresh, migrated database per test, on SQLite or PostgreSQL, and the macro that runs one
//! suite on both.

use std::sync::Arc;

use sqlx::{Connection, Executor, PgConnection, SqliteConnection};
use ticketbooth_store::{Backend, Store, connect};

/// Where the PostgreSQL variants get a server; unset when the tests were built, they are
/// reported as ignored (see `build.rs`).
pub const POSTGRES_ENV: &str = "TICKETBOOTH_TEST_POSTGRES";

/// A database that exists for one test and is dropped with it, even when the test panics.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// The directory is removed when dropped.
    Sqlite(#[allow(dead_code, reason = "held only to be dropped")] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    /// A migrated SQLite file in a temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        let store = connect(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A migrated, freshly created PostgreSQL database on the server [`POSTGRES_ENV`] names.
    pub async fn postgres(test: &str) -> TestDb {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            panic!("{test} needs PostgreSQL: set {POSTGRES_ENV}=postgres://user@host:port/db");
        };
        let name = format!("tb_test_{:016x}", rand::random::<u64>());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect to the PostgreSQL server in TICKETBOOTH_TEST_POSTGRES");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        let store = connect(&url).await.expect("open PostgreSQL");
        store.migrate().await.expect("migrate PostgreSQL");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    /// A second, independent store on the same database: its own connection pool, standing in
    /// for another process.
    pub async fn reopen(&self) -> Arc<dyn Store> {
        connect(&self.url).await.expect("reopen the test database")
    }

    /// Runs one statement behind the store's back, to plant data the store would never write.
    pub async fn execute_raw(&self, sql: &str) {
        match self.store.backend() {
            Backend::Sqlite => {
                let mut conn = SqliteConnection::connect(&self.url)
                    .await
                    .expect("raw connect");
                conn.execute(sql).await.expect("raw statement");
            }
            Backend::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await.expect("raw connect");
                conn.execute(sql).await.expect("raw statement");
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Cleanup::Postgres { admin_url, name } = &self.cleanup else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on; a thread with its own
        // runtime can. FORCE ends the connections the store's pools still hold.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .map(drop)
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database: {dropped:?}");
        }
    }
}

/// `url` pointing at database `name` instead of the one it names.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..path_start])
}

/// Instantiates each named `async fn(&TestDb)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! suite {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let db = $crate::common::TestDb::sqlite().await;
                    super::$test(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                #[cfg_attr(
                    not(postgres_tests),
                    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
                )]
                async fn $test() {
                    let db = $crate::common::TestDb::postgres(stringify!($test)).await;
                    super::$test(&db).await;
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn swaps_the_database_keeping_the_query() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "tb_x"),
            "postgres://postgres@127.0.0.1:5432/tb_x"
        );
        assert_eq!(
            with_database("postgres://u@h?sslmode=disable", "tb_x"),
            "postgres://u@h/tb_x?sslmode=disable"
        );
    }
}
