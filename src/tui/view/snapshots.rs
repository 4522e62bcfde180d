//! Whole screens on ratatui's `TestBackend`: every view empty, busy,
//! with the API down, a result with every level, at 40×12 and 200×60,
//! and the "too small" notice below that.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use super::Screen;
use crate::api_types::HistoryEntry;
use crate::engine::level::Level;
use crate::report::{Entry, Report};
use crate::tui::action::Action;
use crate::tui::app::{AppState, Connection, Remote, ViewId};
use crate::tui::model::{AgentSeen, BatchDomain, BatchSummary, QueueStatus, QueuedTest};
use crate::tui::request::{ApiFailure, Reply, Request};
use crate::tui::theme::Theme;
use crate::tui::update::update;

/// The screen's lines, trailing spaces kept.
fn draw(state: &AppState, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(Screen(state), frame.area()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect()
}

fn text(lines: &[String]) -> String {
    lines.join("\n")
}

fn state(view: ViewId) -> AppState {
    let mut state = AppState::new("http://127.0.0.1:5000", Theme::plain());
    state.view = view;
    state
}

fn running(id: &str, domain: &str, progress: u8) -> QueuedTest {
    QueuedTest {
        id: id.to_owned(),
        domain: domain.to_owned(),
        state: "running".to_owned(),
        progress,
        priority: 10,
        agent: Some("agent-1".to_owned()),
        ..QueuedTest::default()
    }
}

fn waiting(id: &str, domain: &str) -> QueuedTest {
    QueuedTest {
        id: id.to_owned(),
        domain: domain.to_owned(),
        state: "waiting".to_owned(),
        priority: 5,
        ..QueuedTest::default()
    }
}

fn busy_queue() -> QueueStatus {
    let mut tests = vec![running("a1", "example.se", 40), running("a2", "nic.se", 90)];
    tests.extend((0..30).map(|n| waiting(&format!("w{n}"), &format!("zone{n}.test"))));
    QueueStatus {
        waiting: 120,
        running: 2,
        oldest_waiting_seconds: Some(185.0),
        tests,
        agents: vec![AgentSeen {
            agent: "agent-1".to_owned(),
            last_seen: "2026-01-01T10:00:05Z".to_owned(),
            running: 2,
        }],
        finished_per_minute: (0..60).map(|n| n % 7).collect(),
    }
}

fn entry(module: &str, testcase: &str, level: Level, tag: &str, message: &str) -> Entry {
    let mut args = serde_json::Map::new();
    args.insert("ns".to_owned(), json!("ns1.example.se"));
    Entry {
        module: module.to_owned(),
        testcase: testcase.to_owned(),
        level,
        tag: Some(tag.to_owned()),
        args: Some(args),
        message: message.to_owned(),
        timestamp: None,
    }
}

fn every_level_report() -> Report {
    Report {
        id: Some("0123456789abcdef".to_owned()),
        domain: "example.se".to_owned(),
        entries: vec![
            entry(
                "Basic",
                "Basic01",
                Level::Info,
                "B01_PARENT_FOUND",
                "The parent zone was found.",
            ),
            entry(
                "Basic",
                "Basic01",
                Level::Debug,
                "B01_DEBUG_TAG",
                "A debug line.",
            ),
            entry(
                "Delegation",
                "Delegation01",
                Level::Notice,
                "ENOUGH_NS_DEL",
                "Enough name servers.",
            ),
            entry(
                "Delegation",
                "Delegation02",
                Level::Warning,
                "NOT_ENOUGH_NS",
                "Only one name server.",
            ),
            entry(
                "Nameserver",
                "Nameserver01",
                Level::Error,
                "IS_A_RECURSOR",
                "A name server is a recursor.",
            ),
            entry(
                "Zone",
                "Zone01",
                Level::Critical,
                "NO_RESPONSE",
                "No answer at all.",
            ),
        ],
        ..Report::default()
    }
}

fn result_state() -> AppState {
    let mut state = state(ViewId::Result);
    state.result.test_id = Some("0123456789abcdef".to_owned());
    state.result.progress = Some(100);
    state.result.report = Remote::Ready(every_level_report());
    state.result.min_level = Level::Debug;
    state
}

#[test]
fn empty_queue_says_so() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(QueueStatus::default());
    let lines = draw(&state, 60, 12);
    assert_eq!(
        lines[0],
        " zmctl ‹ Queue ›                                            "
    );
    assert_eq!(
        lines[1],
        "┌Queue: 0 waiting · 0 running──────────────────────────────┐"
    );
    assert_eq!(
        lines[2],
        "│The queue is empty: nothing waits, nothing runs.          │"
    );
    assert!(lines[11].contains("Enter result"), "{}", lines[11]);
}

#[test]
fn busy_queue_shows_gauges_agents_and_throughput() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(busy_queue());
    let lines = draw(&state, 120, 20);
    let screen = text(&lines);
    assert!(
        lines[0].starts_with(" zmctl tui  1 Queue  2 Batches"),
        "{screen}"
    );
    assert!(
        lines[1].starts_with("┌Queue: 120 waiting · 2 running · oldest 3m05s"),
        "{screen}"
    );
    assert!(screen.contains("example.se"), "{screen}");
    assert!(screen.contains("████░░░░░░  40%"), "{screen}");
    assert!(screen.contains("Agents (1)"), "{screen}");
    assert!(
        screen.contains("agent-1 · 2 running · 10:00:05"),
        "{screen}"
    );
    assert!(screen.contains("Done/min: 3 (174/h)"), "{screen}");
    assert!(screen.contains("zone0.test"), "{screen}");
}

#[test]
fn api_down_shows_a_banner_and_keeps_the_data() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(busy_queue());
    let down = Reply::Queue(Err(ApiFailure::Unreachable(
        "cannot reach http://127.0.0.1:5000".to_owned(),
    )));
    update(&mut state, Action::Reply(Box::new(down)));
    let lines = draw(&state, 80, 14);
    assert_eq!(
        lines[1].trim_end(),
        " API unreachable, retrying in 1s: cannot reach http://127.0.0.1:5000"
    );
    assert!(text(&lines).contains("example.se"));
}

#[test]
fn missing_queue_method_is_a_notice_not_an_error() {
    let mut state = state(ViewId::Queue);
    let missing = Reply::Queue(Err(ApiFailure::MethodMissing(
        "server error -32601".to_owned(),
    )));
    let requests = update(&mut state, Action::Reply(Box::new(missing)));
    assert!(requests.is_empty());
    assert_eq!(state.connection, Connection::Up);
    let screen = text(&draw(&state, 80, 12));
    assert!(
        screen.contains("this server has no `queue_status` method"),
        "{screen}"
    );
    // Not asked again on the next refresh.
    update(&mut state, Action::Tick);
    assert!(update(&mut state, Action::Tick).is_empty());
}

#[test]
fn batches_list_drill_and_confirmation() {
    let mut state = state(ViewId::Batches);
    state.batches.list = Remote::Ready(vec![BatchSummary {
        batch_id: 7,
        created_at: "2026-01-01T10:00:00Z".to_owned(),
        username: "ops".to_owned(),
        total: 100,
        waiting: 40,
        running: 10,
        finished: 50,
    }]);
    let screen = text(&draw(&state, 100, 12));
    assert!(screen.contains("ops"), "{screen}");
    assert!(screen.contains("█████░░░░░  50%"), "{screen}");

    assert_eq!(
        update(&mut state, Action::Enter),
        vec![Request::BatchDomains(7)]
    );
    let domains = vec![
        BatchDomain {
            domain: "a.test".to_owned(),
            test_id: "t1".to_owned(),
            state: "completed".to_owned(),
            level: Some(Level::Error),
        },
        BatchDomain {
            domain: "b.test".to_owned(),
            test_id: "t2".to_owned(),
            state: "waiting".to_owned(),
            level: None,
        },
    ];
    update(
        &mut state,
        Action::Reply(Box::new(Reply::BatchDomains(7, Ok(domains)))),
    );
    let screen = text(&draw(&state, 60, 12));
    assert!(screen.contains("Batch 7: domains"), "{screen}");
    assert!(screen.contains("a.test"), "{screen}");
    assert!(screen.contains("ERROR"), "{screen}");

    // No credentials: cancelling says what is missing.
    update(&mut state, Action::Key('c'));
    assert!(state.batches.confirm_cancel.is_none());
    assert!(text(&draw(&state, 100, 12)).contains("needs an API user"));
    state.credentials = Some(crate::tui::app::Credentials {
        user: "ops".to_owned(),
        api_key: "key".to_owned(),
    });
    update(&mut state, Action::Key('c'));
    let screen = text(&draw(&state, 60, 12));
    assert!(
        screen.contains("Cancel the waiting tests of batch 7? y/n"),
        "{screen}"
    );
    let requests = update(&mut state, Action::Key('y'));
    assert!(matches!(
        requests.as_slice(),
        [Request::CancelBatch { batch_id: 7, .. }]
    ));
}

#[test]
fn result_with_every_level_side_by_side() {
    let state = result_state();
    let lines = draw(&state, 200, 60);
    let screen = text(&lines);
    assert!(
        screen.contains("example.se · 0123456789abcdef · en · ≥DEBUG"),
        "{screen}"
    );
    assert!(
        screen.contains("CRITICAL 1 · ERROR 1 · WARNING 1 · NOTICE 1 · INFO 1 · DEBUG 1"),
        "{screen}"
    );
    for level in ["DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"] {
        assert!(
            screen.contains(&format!("    {level:<8} ")),
            "{level}: {screen}"
        );
    }
    let recursor = lines
        .iter()
        .find(|line| line.contains("A name server is a recursor."))
        .unwrap();
    assert!(
        recursor.contains("IS_A_RECURSOR ns=ns1.example.se"),
        "{recursor}"
    );
    assert!(screen.contains("▾ Nameserver (1, worst ERROR)"), "{screen}");
}

#[test]
fn result_filters_searches_and_folds() {
    let mut state = result_state();
    update(&mut state, Action::Key('5'));
    assert_eq!(state.result.min_level, Level::Error);
    let screen = text(&draw(&state, 80, 20));
    assert!(screen.contains("A name server is a recursor."), "{screen}");
    assert!(!screen.contains("Only one name server."), "{screen}");

    update(&mut state, Action::Key('1'));
    update(&mut state, Action::Key('/'));
    for c in "only".chars() {
        update(&mut state, Action::Key(c));
    }
    update(&mut state, Action::Enter);
    let screen = text(&draw(&state, 80, 20));
    assert!(screen.contains("Only one name server."), "{screen}");
    assert!(!screen.contains("recursor"), "{screen}");
    update(&mut state, Action::Key('/'));
    update(&mut state, Action::Back);

    // The first row is the Basic heading: fold it.
    update(&mut state, Action::Enter);
    let screen = text(&draw(&state, 80, 20));
    assert!(screen.contains("▸ Basic (2, worst INFO)"), "{screen}");
    assert!(!screen.contains("The parent zone was found."), "{screen}");
}

#[test]
fn result_export_writes_the_filtered_report() {
    let mut state = result_state();
    update(&mut state, Action::Key('6'));
    update(&mut state, Action::Key('x'));
    update(&mut state, Action::Right);
    update(&mut state, Action::Right);
    let screen = text(&draw(&state, 80, 20));
    assert!(
        screen.contains("Export as csv to: zonemaster-0123456789abcdef.csv"),
        "{screen}"
    );
    let requests = update(&mut state, Action::Enter);
    let [Request::Export { path, contents }] = requests.as_slice() else {
        panic!("{requests:?}");
    };
    assert_eq!(path.to_str(), Some("zonemaster-0123456789abcdef.csv"));
    assert!(contents.contains("NO_RESPONSE"), "{contents}");
    assert!(!contents.contains("IS_A_RECURSOR"), "{contents}");
}

#[test]
fn result_of_a_running_test_shows_its_progress() {
    let mut state = state(ViewId::Result);
    state.result.test_id = Some("0123456789abcdef".to_owned());
    state.result.progress = Some(40);
    let screen = text(&draw(&state, 40, 12));
    assert!(screen.contains("Test 0123456789abcdef"), "{screen}");
    assert!(screen.contains("running: 40%"), "{screen}");
    let requests = update(
        &mut state,
        Action::Reply(Box::new(Reply::Progress(
            "0123456789abcdef".to_owned(),
            Ok(100),
        ))),
    );
    assert_eq!(
        requests,
        vec![Request::Results {
            test_id: "0123456789abcdef".to_owned(),
            language: "en".to_owned()
        }]
    );
}

#[test]
fn history_lists_tests_and_shows_a_diff() {
    let mut state = state(ViewId::History);
    state.history.domain = "example.se".to_owned();
    let entry = |id: &str, time: &str, result: &str| HistoryEntry {
        id: Some(id.to_owned()),
        job_id: None,
        created_at: time.to_owned(),
        undelegated: false,
        overall_result: result.to_owned(),
        state: Some("completed".to_owned()),
    };
    state.history.entries = Remote::Ready(vec![
        entry("new", "2026-01-02T10:00:00Z", "error"),
        entry("old", "2026-01-01T10:00:00Z", "ok"),
    ]);
    let screen = text(&draw(&state, 80, 12));
    assert!(screen.contains("History of example.se"), "{screen}");
    assert!(screen.contains("2026-01-02T10:00:00Z error"), "{screen}");
    let requests = update(&mut state, Action::Key('d'));
    assert_eq!(
        requests,
        vec![Request::Diff {
            old: "old".to_owned(),
            new: "new".to_owned()
        }]
    );
    update(
        &mut state,
        Action::Reply(Box::new(Reply::Diff(Ok(
            "1 appeared: ERROR IS_A_RECURSOR".to_owned()
        )))),
    );
    let screen = text(&draw(&state, 80, 12));
    assert!(screen.contains("Esc closes)"), "{screen}");
    assert!(
        screen.contains("1 appeared: ERROR IS_A_RECURSOR"),
        "{screen}"
    );
}

#[test]
fn new_test_form_types_prefills_and_submits() {
    let mut state = state(ViewId::NewTest);
    for c in "example.se".chars() {
        update(&mut state, Action::Key(c));
    }
    let requests = update(&mut state, Action::Prefill);
    assert_eq!(requests, vec![Request::Parent("example.se".to_owned())]);
    let data = crate::api_types::DelegationData {
        ns_list: vec![crate::api_types::NameServer {
            ns: "ns1.example.se".to_owned(),
            ip: Some("192.0.2.1".to_owned()),
        }],
        ds_list: Vec::new(),
    };
    update(
        &mut state,
        Action::Reply(Box::new(Reply::Parent("example.se".to_owned(), Ok(data)))),
    );
    let lines = draw(&state, 40, 12);
    let screen = text(&lines);
    assert_eq!(lines[1], "┌New test──────────────────────────────┐");
    assert_eq!(lines[2], "│  Domain: example.se▏                 │");
    assert_eq!(lines[3], "│      NS: ns1.example.se/192.0.2.1    │");
    assert!(screen.contains("[x]"), "{screen}");
    let requests = update(&mut state, Action::Enter);
    let [Request::StartTest(params)] = requests.as_slice() else {
        panic!("{requests:?}");
    };
    assert_eq!(params.domain, "example.se");
    let requests = update(
        &mut state,
        Action::Reply(Box::new(Reply::Started(Ok("0123456789abcdef".to_owned())))),
    );
    assert_eq!(state.view, ViewId::Result);
    assert_eq!(
        requests,
        vec![Request::Progress("0123456789abcdef".to_owned())]
    );
}

#[test]
fn every_view_draws_at_40_by_12_and_200_by_60() {
    let mut full = result_state();
    full.queue = Remote::Ready(busy_queue());
    full.connection = Connection::Down {
        message: "cannot reach http://127.0.0.1:5000".to_owned(),
        failures: 3,
        retry_at: 4,
    };
    for view in ViewId::ALL {
        for (width, height) in [(40, 12), (200, 60)] {
            let mut state = full.clone();
            state.view = *view;
            let lines = draw(&state, width, height);
            assert!(
                lines[1].contains("API unreachable"),
                "{view:?}: {}",
                lines[1]
            );
            assert!(!text(&lines).contains("too small"), "{view:?}");
        }
    }
    let mut help = full.clone();
    help.is_help_shown = true;
    assert!(text(&draw(&help, 200, 60)).contains("1 DEBUG 2 INFO"));
}

#[test]
fn under_40_by_12_a_notice_says_too_small() {
    let state = state(ViewId::Queue);
    for (width, height) in [(39, 12), (40, 11), (10, 3), (1, 1), (0, 0)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| frame.render_widget(Screen(&state), frame.area()))
            .unwrap();
    }
    let screen = text(&draw(&state, 39, 12));
    assert!(screen.contains("Terminal too small"), "{screen}");
}

#[test]
fn back_off_doubles_and_a_reply_clears_the_banner() {
    let mut state = state(ViewId::Queue);
    let down = || {
        Action::Reply(Box::new(Reply::Queue(Err(ApiFailure::Unreachable(
            "cannot reach".to_owned(),
        )))))
    };
    update(&mut state, down());
    assert_eq!(state.retry_in(), Some(1));
    assert_eq!(update(&mut state, Action::Tick), vec![Request::Queue]);
    update(&mut state, down());
    assert_eq!(state.retry_in(), Some(2));
    assert!(update(&mut state, Action::Tick).is_empty());
    assert_eq!(update(&mut state, Action::Tick), vec![Request::Queue]);
    update(
        &mut state,
        Action::Reply(Box::new(Reply::Queue(Ok(QueueStatus::default())))),
    );
    assert_eq!(state.connection, Connection::Up);
    assert!(!text(&draw(&state, 60, 12)).contains("unreachable"));
}

#[test]
fn a_refresh_is_not_sent_again_while_one_is_out() {
    let mut state = state(ViewId::Queue);
    assert_eq!(
        crate::tui::update::startup(&mut state),
        vec![Request::Queue]
    );
    update(&mut state, Action::Tick);
    assert!(update(&mut state, Action::Tick).is_empty(), "still out");
    update(
        &mut state,
        Action::Reply(Box::new(Reply::Queue(Ok(QueueStatus::default())))),
    );
    update(&mut state, Action::Tick);
    assert_eq!(update(&mut state, Action::Tick), vec![Request::Queue]);
}

/// The cell where `needle` first shows on the screen, as a click there.
fn click_on(lines: &[String], needle: &str) -> Action {
    for (row, line) in lines.iter().enumerate() {
        if let Some(byte) = line.find(needle) {
            let column = line[..byte].chars().count();
            return Action::Click {
                column: u16::try_from(column).unwrap(),
                row: u16::try_from(row).unwrap(),
            };
        }
    }
    panic!("{needle:?} is not on the screen:\n{}", text(lines));
}

#[test]
fn a_click_on_a_tab_shows_its_view() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(busy_queue());
    let screen = draw(&state, 120, 30);
    let requests = update(&mut state, click_on(&screen, "2 Batches"));
    assert_eq!(state.view, ViewId::Batches);
    assert_eq!(requests, vec![Request::Batches]);

    let screen = draw(&state, 120, 30);
    update(&mut state, click_on(&screen, "New test"));
    assert_eq!(state.view, ViewId::NewTest);
    // In the form, keys are text; a click on a tab still switches.
    let screen = draw(&state, 120, 30);
    update(&mut state, click_on(&screen, "4 History"));
    assert_eq!(state.view, ViewId::History);

    // The server's address beside the tabs is no tab.
    let screen = draw(&state, 120, 30);
    update(&mut state, click_on(&screen, "127.0.0.1"));
    assert_eq!(state.view, ViewId::History);
}

#[test]
fn a_click_on_a_queue_row_selects_it_and_a_second_opens_it() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(busy_queue());
    let screen = draw(&state, 120, 30);
    // Tests 0 and 1 run; waiting test n is row n + 2.
    assert!(update(&mut state, click_on(&screen, "zone3.test")).is_empty());
    assert_eq!(state.queue_selected, 5);
    assert_eq!(state.view, ViewId::Queue);
    let screen = draw(&state, 120, 30);
    assert_eq!(
        update(&mut state, click_on(&screen, "zone3.test")),
        vec![Request::Progress("w3".to_owned())]
    );
    assert_eq!(state.view, ViewId::Result);
}

#[test]
fn a_click_maps_through_the_scrolled_list() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(busy_queue());
    state.queue_selected = 31;
    let screen = draw(&state, 60, 12);
    assert!(!text(&screen).contains("example.se"), "scrolled down");
    // Whatever is shown on the first row of the list is picked.
    let first_shown = screen
        .iter()
        .find_map(|line| {
            let start = line.find("zone")? + 4;
            let digits: String = line[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<usize>().ok()
        })
        .unwrap();
    assert!(first_shown > 0, "{}", text(&screen));
    update(
        &mut state,
        click_on(&screen, &format!("zone{first_shown}.test")),
    );
    assert_eq!(state.queue_selected, first_shown + 2);
}

#[test]
fn clicks_below_the_rows_on_borders_and_under_help_do_nothing() {
    let mut state = state(ViewId::Queue);
    state.queue = Remote::Ready(busy_queue());
    let screen = draw(&state, 120, 60);
    // Below the last of the 32 tests, inside the list's box.
    let last = click_on(&screen, "zone29.test");
    let Action::Click { column, row } = last else {
        unreachable!()
    };
    update(
        &mut state,
        Action::Click {
            column,
            row: row + 3,
        },
    );
    assert_eq!(state.queue_selected, 0);
    // The header row of the table.
    update(&mut state, click_on(&screen, "Domain"));
    assert_eq!(state.queue_selected, 0);
    state.is_help_shown = true;
    draw(&state, 120, 60);
    update(&mut state, last);
    assert_eq!(state.queue_selected, 0);
    assert_eq!(state.view, ViewId::Queue);
}

#[test]
fn clicks_select_and_open_batches_and_their_domains() {
    let mut state = state(ViewId::Batches);
    let batch = |batch_id| BatchSummary {
        batch_id,
        created_at: "2026-01-01T10:00:00Z".to_owned(),
        username: format!("user{batch_id}"),
        total: 10,
        waiting: 0,
        running: 0,
        finished: 10,
    };
    state.batches.list = Remote::Ready(vec![batch(8), batch(7)]);
    let screen = draw(&state, 100, 12);
    assert!(update(&mut state, click_on(&screen, "user7")).is_empty());
    assert_eq!(state.batches.selected, 1);
    let screen = draw(&state, 100, 12);
    assert_eq!(
        update(&mut state, click_on(&screen, "user7")),
        vec![Request::BatchDomains(7)]
    );
    let domains = ["a.test", "b.test"]
        .iter()
        .enumerate()
        .map(|(n, domain)| BatchDomain {
            domain: (*domain).to_owned(),
            test_id: format!("t{n}"),
            state: "completed".to_owned(),
            level: Some(Level::Warning),
        })
        .collect();
    update(
        &mut state,
        Action::Reply(Box::new(Reply::BatchDomains(7, Ok(domains)))),
    );
    let screen = draw(&state, 100, 12);
    update(&mut state, click_on(&screen, "b.test"));
    assert_eq!(state.batches.drill.as_ref().map(|d| d.selected), Some(1));
    let screen = draw(&state, 100, 12);
    assert_eq!(
        update(&mut state, click_on(&screen, "b.test")),
        vec![Request::Progress("t1".to_owned())]
    );
    assert_eq!(state.view, ViewId::Result);
}

#[test]
fn clicks_select_result_rows_and_a_second_folds_a_heading() {
    let mut state = result_state();
    let screen = draw(&state, 80, 20);
    update(
        &mut state,
        click_on(&screen, "A name server is a recursor."),
    );
    let selected = state.result.selected;
    assert!(selected > 0);
    // The detail line shows the selected message's raw tag.
    let screen = draw(&state, 80, 20);
    assert!(text(&screen).contains("IS_A_RECURSOR"), "{}", text(&screen));
    update(&mut state, click_on(&screen, "Basic ("));
    assert_eq!(state.result.selected, 0);
    let screen = draw(&state, 80, 20);
    update(&mut state, click_on(&screen, "Basic ("));
    let screen = text(&draw(&state, 80, 20));
    assert!(screen.contains("▸ Basic (2, worst INFO)"), "{screen}");
}

#[test]
fn clicks_select_and_open_history_tests() {
    let mut state = state(ViewId::History);
    state.history.domain = "example.se".to_owned();
    let entry = |id: &str, time: &str| HistoryEntry {
        id: Some(id.to_owned()),
        job_id: None,
        created_at: time.to_owned(),
        undelegated: false,
        overall_result: "ok".to_owned(),
        state: Some("completed".to_owned()),
    };
    state.history.entries = Remote::Ready(vec![
        entry("new", "2026-01-02T10:00:00Z"),
        entry("old", "2026-01-01T10:00:00Z"),
    ]);
    let screen = draw(&state, 80, 12);
    update(&mut state, click_on(&screen, "2026-01-01"));
    assert_eq!(state.history.selected, 1);
    let screen = draw(&state, 80, 12);
    assert_eq!(
        update(&mut state, click_on(&screen, "2026-01-01")),
        vec![Request::Progress("old".to_owned())]
    );
}

#[test]
fn the_history_diff_scrolls() {
    let mut state = state(ViewId::History);
    state.history.domain = "example.se".to_owned();
    state.history.diff = Some(Remote::Ready(
        (0..50)
            .map(|n| format!("line {n:02}"))
            .collect::<Vec<_>>()
            .join("\n"),
    ));
    let first_line = |state: &AppState| {
        let screen = draw(state, 80, 14);
        screen
            .iter()
            .find_map(|line| {
                let start = line.find("line ")? + 5;
                line.get(start..start + 2)?.parse::<usize>().ok()
            })
            .unwrap()
    };
    assert_eq!(first_line(&state), 0);
    update(&mut state, Action::Down);
    assert_eq!(first_line(&state), 1);
    update(&mut state, Action::PageDown);
    assert_eq!(first_line(&state), 11);
    update(&mut state, Action::Up);
    assert_eq!(first_line(&state), 10);
    update(&mut state, Action::Bottom);
    let bottom = first_line(&state);
    let screen = text(&draw(&state, 80, 14));
    assert!(screen.contains("line 49"), "{screen}");
    assert!(bottom > 30, "{screen}");
    // From the end, one line up shows at once: scrolling stops at the
    // last full box.
    update(&mut state, Action::Up);
    assert_eq!(first_line(&state), bottom - 1);
    update(&mut state, Action::Top);
    assert_eq!(first_line(&state), 0);
    // Closing and opening again starts at the top.
    update(&mut state, Action::PageDown);
    update(&mut state, Action::Back);
    assert_eq!(state.history.diff_scroll, 0);
}
