//! Loads the hostile transcript in headless Chromium and checks that none of its payloads ran.
//!
//! Every payload, if it ran, would set the title to `PWNED` or put `data-pwned` on `<body>`.
//! Control pages that do run script prove the check can see it. Without Chromium when the tests
//! were built they are reported as ignored (see `build.rs`), unless `TICKETBOOTH_REQUIRE_CHROMIUM=1`
//! (as in CI) makes them run and fail. `TICKETBOOTH_CHROMIUM` names another browser binary
//! (default `/usr/bin/chromium`).

mod common;

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ALLOWED_ATTRIBUTES, ALLOWED_TAGS, PWNED_ATTRIBUTE, PWNED_TITLE, hostile, tags};
use ticketbooth_transcript::render_html;

const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// Chromium normally answers in a few seconds; this only stops a hung browser from hanging CI.
const DEADLINE: Duration = Duration::from_secs(90);

fn chromium() -> PathBuf {
    std::env::var_os("TICKETBOOTH_CHROMIUM").map_or_else(|| DEFAULT_CHROMIUM.into(), PathBuf::from)
}

/// Fails `test` with a clear message when Chromium is not there: it runs only when the build
/// found the browser or CI demanded it.
fn require_chromium(test: &str) {
    let chromium = chromium();
    assert!(
        chromium.exists(),
        "{} is missing: install chromium to run {test}",
        chromium.display()
    );
}

/// Loads `html` from a file in a fresh profile and returns the DOM after load.
fn dump_dom(html: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("transcript.html");
    std::fs::write(&page, html).expect("write page");
    let profile = dir.path().join("profile");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    // Read on another thread so a large DOM cannot fill the pipe while we wait.
    let reader = std::thread::spawn(move || {
        let mut dom = String::new();
        stdout.read_to_string(&mut dom).map(|_| dom)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let dom = reader.join().expect("reader").expect("chromium output");
    assert!(status.success(), "chromium failed: {status}");
    assert!(dom.contains("</html>"), "no DOM was dumped: {dom:.200}");
    dom
}

/// The signs that script ran: the title set to `PWNED`, or `data-pwned` on `<body>`.
fn pwned(dom: &str) -> bool {
    let title = dom
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map_or("", |(title, _)| title);
    let body_tag = dom
        .split_once("<body")
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or("", |(attributes, _)| attributes);
    title == PWNED_TITLE || body_tag.contains(&format!("{PWNED_ATTRIBUTE}="))
}

/// The hostile transcript, as the crate renders it.
fn hostile_page() -> String {
    let (ticket, messages, directory) = hostile();
    render_html(&ticket, &messages, &directory)
}

#[test]
#[cfg_attr(
    not(chromium_tests),
    ignore = "needs Chromium: apt-get install chromium"
)]
fn hostile_transcript_runs_no_script_in_chromium() {
    require_chromium("hostile_transcript_runs_no_script_in_chromium");
    let dom = dump_dom(&hostile_page());
    assert!(!pwned(&dom), "a payload ran in Chromium");
    // The browser's own view of the page: only the renderer's elements, no handlers.
    for tag in tags(&dom) {
        assert!(
            ALLOWED_TAGS.contains(&tag.name.as_str()),
            "unexpected element {tag:?}"
        );
        for (name, _) in &tag.attributes {
            assert!(!name.starts_with("on"), "event handler in the DOM: {tag:?}");
            assert!(
                ALLOWED_ATTRIBUTES.contains(&name.as_str()),
                "unexpected attribute {tag:?}"
            );
        }
    }
    // The page really was rendered: the messages are there, payloads shown as text.
    assert!(dom.contains("class=\"msg\""));
    assert!(dom.contains("&lt;script&gt;document.title='PWNED'"));
}

#[test]
#[cfg_attr(
    not(chromium_tests),
    ignore = "needs Chromium: apt-get install chromium"
)]
fn escaping_alone_is_enough_without_the_csp() {
    require_chromium("escaping_alone_is_enough_without_the_csp");
    let page = hostile_page();
    let csp_start = page
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("CSP");
    let csp_end = page[csp_start..].find('>').expect("end of CSP") + csp_start + 1;
    let without_csp = format!("{}{}", &page[..csp_start], &page[csp_end..]);
    assert!(!without_csp.contains("Content-Security-Policy"));
    let dom = dump_dom(&without_csp);
    assert!(!pwned(&dom), "a payload ran once the CSP was removed");
}

#[test]
#[cfg_attr(
    not(chromium_tests),
    ignore = "needs Chromium: apt-get install chromium"
)]
fn control_page_with_a_script_is_detected() {
    require_chromium("control_page_with_a_script_is_detected");
    let control = "<!DOCTYPE html><html><head><title>control</title></head><body>\
        <script>document.title='PWNED';document.body.setAttribute('data-pwned','1')</script>\
        </body></html>";
    assert!(
        pwned(&dump_dom(control)),
        "the check cannot see a script that ran"
    );
}

#[test]
#[cfg_attr(
    not(chromium_tests),
    ignore = "needs Chromium: apt-get install chromium"
)]
fn naive_page_with_the_same_payloads_is_detected() {
    require_chromium("naive_page_with_the_same_payloads_is_detected");
    // What a careless renderer would write: the payloads pasted in as they came, no CSP.
    let mut naive = String::from("<!DOCTYPE html><html><head><title>naive</title></head><body>");
    // A refresh would navigate away before the DOM is dumped; the rest all run script.
    for payload in common::payloads().iter().filter(|p| !p.contains("refresh")) {
        naive.push_str("<div>");
        naive.push_str(payload);
        naive.push_str("</div>");
    }
    naive.push_str("</body></html>");
    assert!(
        pwned(&dump_dom(&naive)),
        "the payloads would not have run anyway"
    );
}
