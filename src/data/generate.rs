//! Fills batches of rows from a [`ProductPlan`]: batch `k` of a table covers rows
//! `k * BATCH_ROWS ..` and draws from its own random stream, so batches can be made on any
//! core in any order and the output is the same.

use super::BATCH_ROWS;
use super::batch::{Batch, Column};
use super::inject::Injector;
use super::plan::ProductPlan;
use super::rng::Stream;

/// How many batches a table of `rows` rows has.
pub(crate) fn batch_count(rows: u64) -> u64 {
    rows.div_ceil(BATCH_ROWS as u64)
}

/// Batch `index` of table `table`, with the injector's violations applied.
pub(crate) fn batch(
    plan: &ProductPlan,
    table: usize,
    index: u64,
    injector: Option<&Injector>,
) -> Batch {
    batch_reusing(plan, table, index, injector, None)
}

/// [`batch`], refilling the buffers of a used batch.
pub(crate) fn batch_reusing(
    plan: &ProductPlan,
    table: usize,
    index: u64,
    injector: Option<&Injector>,
    mut spare: Option<Batch>,
) -> Batch {
    let t = &plan.tables[table];
    let start = index * BATCH_ROWS as u64;
    let rows = (t.rows.saturating_sub(start)).min(BATCH_ROWS as u64) as usize;
    let mut rng = Stream::new(plan.seed, &t.name, index);
    let columns = (0..t.columns.len())
        .map(|ci| {
            let mut col = Column::reuse(&mut spare, ci, t.columns[ci].kind, rows);
            for row in start..start + rows as u64 {
                plan.push(table, ci, row, &mut rng, &mut col);
            }
            Some(col)
        })
        .collect();
    let mut batch = Batch {
        first_row: start,
        rows,
        columns,
        malformed: Vec::new(),
    };
    if let Some(inj) = injector {
        inj.apply(plan, table, &mut batch);
    }
    batch
}

/// Rows per table `dpc create` writes to `sample_data/`.
pub(crate) const CREATE_ROWS: u64 = 100;
/// Seed of `dpc create`'s sample data (fixed, so the product tree is reproducible).
pub(crate) const CREATE_SEED: u64 = 42;

/// Every table as CSV text, in memory: `(sample_data/<table>.csv, text)`. Pure apart from
/// the clock (`SOURCE_DATE_EPOCH` fixes it), for `dpc create` to write with the rest.
pub fn csv_files(
    spec: &crate::spec::ProductSpec,
    rows: u64,
    seed: u64,
    clock: super::compile::Clock,
) -> Result<Vec<(String, String)>, super::DataError> {
    let plan = ProductPlan::new(spec, rows, seed, clock)?;
    let mut out = Vec::new();
    for (ti, t) in plan.tables.iter().enumerate() {
        let mut bytes = super::write::csv::header(&t.rules.columns);
        for k in 0..batch_count(t.rows) {
            bytes.extend(super::write::csv::encode(
                &t.rules.columns,
                &batch(&plan, ti, k, None),
            ));
        }
        let text = String::from_utf8(bytes).map_err(|e| super::DataError::Table {
            table: t.name.clone(),
            message: format!("sample data is not UTF-8 text: {e}"),
        })?;
        out.push((format!("sample_data/{}.csv", t.name), text));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::compile::Clock;

    fn spec() -> crate::spec::ProductSpec {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/customer-360");
        crate::spec::ProductSpec::load(&dir).unwrap()
    }

    const CLOCK: Clock = Clock {
        today: 20_088,
        now_micros: 20_088 * 86_400_000_000,
    };

    #[test]
    fn batches_are_deterministic_and_keep_the_rules() {
        let spec = spec();
        let plan = ProductPlan::new(&spec, 3000, 7, CLOCK).unwrap();
        for (ti, t) in plan.tables.iter().enumerate() {
            let a = batch(&plan, ti, 0, None);
            let b = batch(&plan, ti, 0, None);
            assert_eq!(a.rows, 3000);
            for (ci, col) in a.columns.iter().enumerate() {
                let (ca, cb) = (col.as_ref().unwrap(), b.columns[ci].as_ref().unwrap());
                for r in 0..a.rows {
                    assert_eq!(ca.display(r), cb.display(r));
                    let v = ca.value(r);
                    assert!(
                        t.rules.value_ok(ci, v.as_ref()),
                        "{}.{} row {r}: {}",
                        t.name,
                        t.columns[ci].name,
                        ca.display(r)
                    );
                }
            }
        }
    }

    fn example(name: &str) -> crate::spec::ProductSpec {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        crate::spec::ProductSpec::load(&dir).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Whatever the seed and size, every generated value keeps every row-level rule of
        /// its column, in every example product.
        #[test]
        fn generated_values_keep_their_columns_rules(seed in proptest::prelude::any::<u64>(), rows in 1u64..400, product in 0usize..3) {
            let name = ["customer-360", "real-time-fraud-detection", "sales-analytics"][product];
            let spec = example(name);
            let plan = ProductPlan::new(&spec, rows, seed, CLOCK).unwrap();
            for (ti, t) in plan.tables.iter().enumerate() {
                let b = batch(&plan, ti, 0, None);
                proptest::prop_assert_eq!(b.rows as u64, rows);
                for (ci, col) in b.columns.iter().enumerate() {
                    let col = col.as_ref().unwrap();
                    for r in 0..b.rows {
                        proptest::prop_assert!(
                            t.rules.value_ok(ci, col.value(r).as_ref()),
                            "{}.{} row {}: {}", t.name, t.columns[ci].name, r, col.display(r)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn references_point_at_existing_keys() {
        let spec = spec();
        let plan = ProductPlan::new(&spec, 500, 3, CLOCK).unwrap();
        let customers = batch(&plan, 0, 0, None);
        let ids: std::collections::HashSet<String> = (0..500)
            .map(|r| customers.columns[0].as_ref().unwrap().display(r))
            .collect();
        assert_eq!(ids.len(), 500);
        for t in 1..plan.tables.len() {
            let b = batch(&plan, t, 0, None);
            for r in 0..500 {
                let id = b.columns[0].as_ref().unwrap().display(r);
                assert!(ids.contains(&id), "{} row {r}: {id}", plan.tables[t].name);
            }
        }
    }
}
