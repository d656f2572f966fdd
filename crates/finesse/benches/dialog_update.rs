//! How many Dialog PUT notifications per second the client can absorb: decode the XMPP
//! `<message>` stanza (two XML documents), classify it, and apply it to a snapshot that holds
//! a few calls. Run with `cargo bench -p finesse --bench dialog_update`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use finesse::model::{Dialog, Snapshot};
use finesse::notification::{FinesseEvent, Notification};

const DIALOG_PUT: &str = include_str!("../tests/fixtures/notifications/dialog_put_active.xml");
const HELD_AND_CONSULT: &str = include_str!("../tests/fixtures/dialogs/held_and_consult.xml");
const DOCUMENTED: &str = include_str!("../tests/fixtures/dialog/documented_active.xml");

/// A snapshot with the calls a busy agent might have: a held call, a consult, another call.
fn busy_snapshot() -> Snapshot {
    let mut snapshot = Snapshot::new();
    let mut dialogs = Dialog::list_from_xml(HELD_AND_CONSULT).unwrap_or_default();
    dialogs.extend(Dialog::from_xml(DOCUMENTED).ok());
    snapshot.replace_dialogs(dialogs);
    snapshot
}

fn decode(stanza: &str) -> Option<FinesseEvent> {
    Notification::from_message_xml(stanza)
        .ok()
        .flatten()
        .and_then(|n| n.classify().ok())
}

fn dialog_update(c: &mut Criterion) {
    // Fail loudly before measuring if the fixture stops decoding into a dialog update.
    let event = match decode(DIALOG_PUT) {
        Some(event @ FinesseEvent::DialogUpdated(_)) => event,
        other => panic!("the fixture must decode to a dialog update, got {other:?}"),
    };

    let mut group = c.benchmark_group("dialog_update");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    group.bench_function("decode_stanza", |b| {
        b.iter(|| Notification::from_message_xml(black_box(DIALOG_PUT)))
    });

    let notification = Notification::from_message_xml(DIALOG_PUT).ok().flatten();
    group.bench_function("classify", |b| {
        b.iter(|| black_box(notification.as_ref()).map(Notification::classify))
    });

    group.bench_function("apply_to_snapshot", |b| {
        b.iter_batched_ref(
            busy_snapshot,
            |snapshot| snapshot.apply(black_box(&event)),
            criterion::BatchSize::SmallInput,
        )
    });

    group.bench_function("decode_classify_apply", |b| {
        b.iter_batched_ref(
            busy_snapshot,
            |snapshot| {
                decode(black_box(DIALOG_PUT))
                    .map(|event| snapshot.apply(&event))
                    .unwrap_or(false)
            },
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, dialog_update);
criterion_main!(benches);
