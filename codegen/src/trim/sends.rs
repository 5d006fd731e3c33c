//! Step `send-calls`.
//!
//! **Rule:** every operation's `send()` (and `send_stream()`, and each
//! upload's) runs the client's hooks around its request the same way:
//! progenitor writes four statements, `pre`, `exec`, `post` and the
//! transport error, three of them awaits of futures of the operation's own
//! body. An operation's future is a state machine the compiler lays out and
//! checks per operation, state by state. The four statements are one call
//! of the runtime's generic `hooks::send`, which runs the same hooks in the
//! same order: `let response = crate::runtime::hooks::send(client, request,
//! &info).await?;`.
//!
//! Only the exact four statements progenitor writes are rewritten, so the
//! rule holds by construction; any other body stays as written.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// The four statements, as tokens (`client` is the builder's client).
const HOOKS: [&str; 4] = [
    "client . pre (& mut request , & info) . await ? ;",
    "let result = client . exec (request , & info) . await ;",
    "client . post (& result , & info) . await ? ;",
    "let response = result ? ;",
];

/// Rewrite every body of `file` that runs the hooks; how many were.
pub fn calls(file: &mut syn::File) -> usize {
    let mut rewrite = Rewrite(0);
    rewrite.visit_file_mut(file);
    rewrite.0
}

struct Rewrite(usize);

impl VisitMut for Rewrite {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mut i = 0;
        while i + HOOKS.len() <= block.stmts.len() {
            // Printed only after a cheap look at the first statement.
            let runs_hooks = awaits_pre(&block.stmts[i])
                && block.stmts[i..i + HOOKS.len()]
                    .iter()
                    .zip(HOOKS)
                    .all(|(stmt, expected)| stmt.to_token_stream().to_string() == expected);
            if runs_hooks {
                let call: syn::Stmt = syn::parse_quote! {
                    let response = crate::runtime::hooks::send(client, request, &info).await?;
                };
                block.stmts.splice(i..i + HOOKS.len(), [call]);
                self.0 += 1;
            }
            i += 1;
        }
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// Whether `stmt` is `<receiver>.pre(..).await?;`.
fn awaits_pre(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::Try(t), Some(_)) = stmt else {
        return false;
    };
    let syn::Expr::Await(a) = &*t.expr else {
        return false;
    };
    matches!(&*a.base, syn::Expr::MethodCall(m) if m.method == "pre")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hooks_are_one_runtime_call() {
        let mut file: syn::File = syn::parse_quote! {
            impl B {
                pub async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                    let request = client.client.get(url).build()?;
                    let info = OperationInfo { operation_id: "x" };
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    client.post(&result, &info).await?;
                    let response = result?;
                    match response.status().as_u16() { _ => Err(Error::UnexpectedResponse(response)) }
                }
                pub async fn other(self) {
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    let response = result?;
                }
            }
        };
        assert_eq!(calls(&mut file), 1);
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("let info = OperationInfo { operation_id : \"x\" } ; let response = crate :: runtime :: hooks :: send (client , request , & info) . await ? ; match response"),
            "{code}"
        );
        // The body without `post` is not the hooks' sequence.
        assert_eq!(code.matches("client . pre").count(), 1, "{code}");
    }
}
