//! Both cores: numbered work items run on every available core and their results come
//! back in order, with a bounded number in flight (so memory stays bounded).

use std::sync::mpsc;

/// Runs `work(k, state)` for `k` in `0..count` on all cores (each worker with its own
/// `state`, for buffers to reuse) and hands each result to `sink` in order of `k`. Stops
/// early (and returns the error) when `sink` fails.
pub(crate) fn ordered<T: Send, S: Default, E>(
    count: u64,
    work: impl Fn(u64, &mut S) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as u64;
    if workers == 1 || count <= 1 {
        let mut state = S::default();
        for k in 0..count {
            sink(work(k, &mut state))?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let mut receivers = Vec::new();
        for w in 0..workers {
            let (tx, rx) = mpsc::sync_channel::<T>(2);
            receivers.push(rx);
            let work = &work;
            scope.spawn(move || {
                let mut state = S::default();
                let mut k = w;
                while k < count {
                    if tx.send(work(k, &mut state)).is_err() {
                        return;
                    }
                    k += workers;
                }
            });
        }
        for k in 0..count {
            let Ok(item) = receivers[(k % workers) as usize].recv() else {
                break;
            };
            sink(item)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_order() {
        let mut seen = Vec::new();
        super::ordered(
            100,
            |k, _: &mut ()| k * 2,
            |v| -> Result<(), ()> {
                seen.push(v);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..100).map(|k| k * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_failing_sink_stops_the_workers() {
        let r = super::ordered(
            1000,
            |k, _: &mut ()| k,
            |v| if v == 10 { Err(v) } else { Ok(()) },
        );
        assert_eq!(r, Err(10));
    }
}
