//! The escaping filters templates use, one per target language. Each returns a safe string,
//! which is the only kind of string the renderer will print.

use crate::lang::escape;
use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};

fn safe(s: String) -> Value {
    Value::from_safe_string(s)
}

fn text_of(v: &Value) -> Result<String, Error> {
    match v.kind() {
        ValueKind::String | ValueKind::Number | ValueKind::Bool => Ok(v.to_string()),
        kind => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("expected text, got {kind}"),
        )),
    }
}

/// YAML: strings double-quoted, numbers and booleans plain, `null`, lists in flow style.
fn yaml(v: &Value) -> Result<Value, Error> {
    Ok(safe(yaml_text(v)?))
}

fn yaml_text(v: &Value) -> Result<String, Error> {
    Ok(match v.kind() {
        ValueKind::None | ValueKind::Undefined => "null".into(),
        ValueKind::Bool => v.is_true().to_string(),
        ValueKind::Number => v.to_string(),
        ValueKind::Seq | ValueKind::Iterable => {
            let items = v
                .try_iter()?
                .map(|item| yaml_text(&item))
                .collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", items.join(", "))
        }
        _ => escape::yaml_string(&text_of(v)?),
    })
}

/// databricks.yml: as `yaml`, with `${` in text escaped from the Databricks CLI's interpolation.
fn bundle(v: &Value) -> Result<Value, Error> {
    Ok(safe(bundle_text(v)?))
}

fn bundle_text(v: &Value) -> Result<String, Error> {
    Ok(match v.kind() {
        ValueKind::Seq | ValueKind::Iterable => {
            let items = v
                .try_iter()?
                .map(|item| bundle_text(&item))
                .collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", items.join(", "))
        }
        ValueKind::String => escape::bundle_string(&text_of(v)?),
        _ => yaml_text(v)?,
    })
}

/// Python: strings as ASCII literals, `True`/`False`/`None`, numbers, lists and dicts.
fn py(v: &Value) -> Result<Value, Error> {
    Ok(safe(py_text(v)?))
}

fn py_text(v: &Value) -> Result<String, Error> {
    Ok(match v.kind() {
        ValueKind::None | ValueKind::Undefined => "None".into(),
        ValueKind::Bool => if v.is_true() { "True" } else { "False" }.into(),
        ValueKind::Number => v.to_string(),
        ValueKind::Seq | ValueKind::Iterable => {
            let items = v
                .try_iter()?
                .map(|item| py_text(&item))
                .collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", items.join(", "))
        }
        ValueKind::Map => {
            let mut parts = Vec::new();
            for key in v.try_iter()? {
                let item = v.get_item(&key)?;
                parts.push(format!("{}: {}", py_text(&key)?, py_text(&item)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        _ => escape::python_string(&text_of(v)?),
    })
}

pub(crate) fn register(env: &mut Environment<'static>) {
    env.add_filter("yaml", |v: Value| yaml(&v));
    env.add_filter("bundle", |v: Value| bundle(&v));
    env.add_filter("py", |v: Value| py(&v));
    env.add_filter("sql_str", |v: Value| {
        text_of(&v).map(|t| safe(escape::sql_string(&t)))
    });
    env.add_filter("sql_ident", |v: Value| {
        text_of(&v).map(|t| safe(escape::sql_identifier(&t)))
    });
    env.add_filter("sql_comment", |v: Value| {
        text_of(&v).map(|t| safe(escape::sql_comment(&t)))
    });
    // A `#` comment line in YAML or Python: the same one-line text as an SQL comment.
    env.add_filter("comment", |v: Value| {
        text_of(&v).map(|t| safe(escape::sql_comment(&t)))
    });
    env.add_filter("md", |v: Value| {
        text_of(&v).map(|t| safe(escape::markdown(&t)))
    });
    env.add_filter("md_code", |v: Value| {
        text_of(&v).map(|t| safe(escape::markdown_code(&t)))
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundle_text_is_not_interpolated() {
        let r = crate::render::Renderer::new().unwrap();
        let out = r.env_for_tests().render_str(
            "{{ x | bundle }} {{ [x] | bundle }} {{ 3 | bundle }}",
            minijinja::context! { x => "a ${var.x} $b" },
        );
        assert_eq!(out.unwrap(), r#""a $${var.x} $b" ["a $${var.x} $b"] 3"#);
    }

    #[test]
    fn concat_then_filter() {
        let r = crate::render::Renderer::new().unwrap();
        let out = r.env_for_tests().render_str(
            r#"{{ ("SELECT timestampdiff(MINUTE, max(" ~ x ~ "), current_timestamp()) AS m FROM " ~ x) | yaml }}"#,
            minijinja::context! { x => minijinja::Value::from_safe_string("Q".into()) },
        );
        assert_eq!(
            out.unwrap(),
            "\"SELECT timestampdiff(MINUTE, max(Q), current_timestamp()) AS m FROM Q\""
        );
    }
}
