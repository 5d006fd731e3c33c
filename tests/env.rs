//! `Client::from_env`. Environment variables are process-wide, so this file
//! holds a single test (its own process) that changes them in sequence.

use openai_admin_client::{Client, ConfigError};

#[test]
fn from_env_requires_the_key_and_reads_the_base_url() {
    // SAFETY: the only test in this binary; no other thread reads the environment.
    unsafe {
        std::env::remove_var("OPENAI_ADMIN_KEY");
        std::env::remove_var("OPENAI_BASE_URL");
    }
    let err = Client::from_env().unwrap_err();
    assert_eq!(err, ConfigError::MissingEnv("OPENAI_ADMIN_KEY"));
    assert_eq!(
        err.to_string(),
        "OPENAI_ADMIN_KEY is not set: export OPENAI_ADMIN_KEY=<your key> and try again"
    );

    unsafe { std::env::set_var("OPENAI_ADMIN_KEY", "  ") };
    assert_eq!(
        Client::from_env().unwrap_err(),
        ConfigError::MissingEnv("OPENAI_ADMIN_KEY")
    );

    unsafe { std::env::set_var("OPENAI_ADMIN_KEY", "sk-env-SECRET") };
    let client = Client::from_env().unwrap();
    assert_eq!(
        progenitor_client_baseurl(&client),
        "https://api.openai.com/v1",
        "the spec's first server"
    );
    assert!(!format!("{client:?}").contains("sk-env-SECRET"));

    unsafe { std::env::set_var("OPENAI_BASE_URL", "http://127.0.0.1:4010/") };
    let client = Client::from_env().unwrap();
    assert_eq!(progenitor_client_baseurl(&client), "http://127.0.0.1:4010");
}

fn progenitor_client_baseurl(client: &Client) -> String {
    use openai_admin_client::ClientInfo;
    client.baseurl().to_owned()
}
