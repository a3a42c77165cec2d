//! `dpc catalog [DIR] --out SITE`: a static HTML site of every product under DIR. Each
//! product is read through the one loader and checked as every command does; one whose spec
//! is broken is reported as `validate` reports it and left out (exit 1), the others are
//! written.

use crate::catalog::model::{Entry, Product};
use crate::catalog::site::{self, SiteFile};
use crate::cli::CatalogArgs;
use crate::error::DpcError;
use crate::lang::printable::printable;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What one product adds to the site.
struct Built {
    entry: Entry,
    files: Vec<SiteFile>,
}

pub(crate) fn run(args: &CatalogArgs) -> Result<(), DpcError> {
    let products = super::validate::discover(&args.dir);
    if products.is_empty() {
        return Err(DpcError::NoProducts {
            dir: args.dir.clone(),
        });
    }
    // Refused before any work; checked again under the lock when writing.
    site::check_target(&args.out)?;
    // Replacing the site deletes the old one: it must not hold the products.
    if let (Ok(dir), Ok(out)) = (args.dir.canonicalize(), args.out.canonicalize())
        && dir.starts_with(&out)
    {
        return Err(DpcError::OutHoldsProducts {
            out: args.out.clone(),
            dir: args.dir.clone(),
        });
    }
    let mut entries = Vec::new();
    let mut files = Vec::new();
    let mut left_out = 0;
    // Slug → the product folder that has it, so two products cannot share a page.
    let mut taken: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (dir, built) in products.iter().zip(build_all(&products)) {
        match built {
            Ok(b) => {
                if let Some(first) = taken.get(&b.entry.slug) {
                    eprintln!(
                        "error: {}: {}",
                        dir.display(),
                        printable(&format!(
                            "a product named {} is already in the catalog (from {}); left out",
                            b.entry.name,
                            first.display()
                        ))
                    );
                    left_out += 1;
                    continue;
                }
                taken.insert(b.entry.slug.clone(), dir.clone());
                entries.push(b.entry);
                files.extend(b.files);
            }
            Err(report) => {
                eprint!("{report}");
                left_out += 1;
            }
        }
    }
    // A site of no product would replace a good one with an empty page: a broken shared
    // file (dpc.yaml) leaves every product out at once.
    if entries.is_empty() {
        return Err(DpcError::NoProductShown {
            left_out,
            out: args.out.clone(),
        });
    }
    files.extend(site::common_files(&entries));
    site::write(&args.out, &files)?;
    println!(
        "wrote {}: {} product(s); open {}",
        args.out.display(),
        entries.len(),
        args.out.join("index.html").display()
    );
    if left_out > 0 {
        return Err(DpcError::ProductsLeftOut {
            left_out,
            written: entries.len(),
            out: args.out.clone(),
        });
    }
    Ok(())
}

/// Builds every product's pages on every core, in the order of `products`.
fn build_all(products: &[PathBuf]) -> Vec<Result<Built, String>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(products.len().max(1));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Built, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = products.get(i) else {
                            return done;
                        };
                        done.push((i, build(p)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, b)| b).collect()
}

/// One product's entry and files, or the report of why it cannot be shown.
fn build(dir: &Path) -> Result<Built, String> {
    let fail = |e: &dyn std::fmt::Display| {
        format!(
            "error: {}: {}; left out of the catalog\n",
            dir.display(),
            printable(&e.to_string())
        )
    };
    // The checks build the render model for the access matrix; the page reuses that one.
    let (loaded, spec, matrix) = super::access::read_product_with_matrix(dir)
        .map_err(|(report, e)| format!("{report}{}", fail(&e)))?;
    let matrix = matrix.map_err(|e| fail(&e))?;
    let odcs =
        crate::interop::odcs::export::to_text(&spec, Default::default()).map_err(|e| fail(&e))?;
    let changelog = crate::files::safe_read::read_in_product(dir, "docs/changelog.md").ok();
    let product = Product {
        spec,
        matrix,
        source: dir.display().to_string(),
        changelog,
        odcs,
        // The four spec files; the platform settings (`../dpc.yaml`) belong to the folder.
        spec_files: loaded
            .texts
            .into_iter()
            .filter(|(f, _)| crate::spec::SPEC_FILES.contains(f))
            .collect(),
    };
    Ok(Built {
        entry: product.entry(),
        files: site::product_files(&product),
    })
}
