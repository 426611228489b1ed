//! Shared set-up for the end-to-end tests: databases on both backends.

#![allow(dead_code)]

use sqlx::{Connection as _, PgConnection};
use ticketbooth::sandbox::Database;

/// The PostgreSQL server the tests may create databases on, from `TICKETBOOTH_TEST_POSTGRES`.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("TICKETBOOTH_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// A fresh PostgreSQL database, dropped when the guard is.
pub struct FreshPostgres {
    pub url: String,
    admin: String,
    name: String,
}

impl FreshPostgres {
    /// Creates the database. The PostgreSQL cases are ignored unless `TICKETBOOTH_TEST_POSTGRES`
    /// was set when they were built, so one that runs without a server is a mistake to report.
    pub async fn create(test: &str) -> FreshPostgres {
        let Some(admin) = postgres_admin_url() else {
            panic!(
                "{test} needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES=postgres://user@host:port/db"
            );
        };
        let name = format!(
            "tb_e2e_{}_{:08x}",
            std::process::id(),
            rand::random::<u32>()
        );
        let mut conn = PgConnection::connect(&admin)
            .await
            .expect("TICKETBOOTH_TEST_POSTGRES must accept connections");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("creating a test database");
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("TICKETBOOTH_TEST_POSTGRES must end with /DATABASE"),
        };
        FreshPostgres { url, admin, name }
    }

    pub fn database(&self) -> Database {
        Database::Url(self.url.clone())
    }
}

impl Drop for FreshPostgres {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Dropping needs a connection of its own, outside the test's runtime.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}
