//! Writing one invocation's records.

use crate::record::{Line, Record};
use crate::store::Store;

/// The records of one invocation, appended as they happen.
#[derive(Debug)]
pub(crate) struct Recorder {
    store: Option<Store>,
    id: String,
    /// Why records were lost, each once.
    pub(crate) failures: Vec<String>,
}

impl Recorder {
    /// Records to `store` (none: nothing is recorded) under invocation `id`.
    pub(crate) fn new(store: Option<Store>, id: String) -> Recorder {
        Recorder { store, id, failures: Vec::new() }
    }

    /// Appends `record` as one line; a failure is kept for a warning, never fatal.
    pub(crate) fn record(&mut self, record: Record) {
        let Some(store) = &self.store else { return };
        let result = serde_json::to_string(&Line::new(self.id.clone(), record)).map_err(|e| e.to_string()).and_then(
            |mut line| {
                line.push('\n');
                store.append(line.as_bytes())
            },
        );
        if let Err(why) = result {
            let message = format!("record not written: {why}");
            if !self.failures.contains(&message) {
                self.failures.push(message);
            }
        }
    }
}
