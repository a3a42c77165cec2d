//! Every generated Python file compiles with CPython.

use crate::common::{EXAMPLES, Scratch};

fn python() -> &'static str {
    "python3"
}

#[test]
fn generated_python_compiles() {
    let variants: Vec<(&str, Vec<&str>)> = EXAMPLES
        .iter()
        .map(|(n, f)| (*n, f.to_vec()))
        .chain([
            (
                "masked-view",
                vec!["--domain", "marketing", "--masking", "masked-view"],
            ),
            (
                "restricted",
                vec!["--domain", "finance", "--sensitivity", "restricted"],
            ),
            (
                "hostile",
                vec![
                    "--domain",
                    "marketing",
                    "--description",
                    "It's \"q\" \\ {{ x }} `t` -- ;\n'''\"\"\" é",
                ],
            ),
        ])
        .collect();
    for (name, flags) in variants {
        let s = Scratch::new();
        s.create(name, &flags).assert().success();
        let product = s.product(name);
        let files: Vec<_> = walkdir::WalkDir::new(&product)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
            .map(|e| e.path().to_path_buf())
            .collect();
        // schemas/apply_checks.py comes with the first table that has CHECK constraints.
        let expected = 5 + usize::from(product.join("schemas/apply_checks.py").exists());
        assert_eq!(files.len(), expected, "{name}: {files:?}");
        for file in files {
            let out = std::process::Command::new(python())
                .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1])"])
                .arg(&file)
                .output()
                .expect("python3 must be installed to run this test");
            assert!(
                out.status.success(),
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
