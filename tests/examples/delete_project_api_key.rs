//! Delete a project API key.
//!
//! ```sh
//! OPENAI_ADMIN_KEY=sk-admin-... cargo run --example delete_project_api_key -- [--base-url URL] PROJECT_ID KEY_ID
//! ```
//!
//! Prints the response as JSON; on failure prints one line to stderr and
//! exits with status 1.

use std::process::ExitCode;

use openai_admin_client::{ApiError, Client, ClientBuilder};

const USAGE: &str = "usage: delete_project_api_key [--base-url URL] PROJECT_ID KEY_ID";

#[tokio::main]
async fn main() -> ExitCode {
    let mut base_url = None;
    let mut positional = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base-url" => match args.next() {
                Some(url) => base_url = Some(url),
                None => return fail(USAGE),
            },
            "-h" | "--help" => {
                println!("{USAGE}\nThe key is read from OPENAI_ADMIN_KEY.");
                return ExitCode::SUCCESS;
            }
            _ => positional.push(arg),
        }
    }
    let [project_id, key_id] = positional.as_slice() else {
        return fail(USAGE);
    };

    let mut builder = match ClientBuilder::<Client>::from_env() {
        Ok(builder) => builder,
        Err(e) => return fail(&e.to_string()),
    };
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => return fail(&e.to_string()),
    };

    let result = client
        .delete_project_api_key()
        .project_id(project_id.as_str())
        .key_id(key_id.as_str())
        .send()
        .await;
    match result {
        Ok(deleted) => match serde_json::to_string_pretty(&*deleted) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
        Err(e) => fail(&ApiError::from(e).to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
