//! Terminal events as [`Action`]s: what a key means, given whether keys
//! are commands or text for a field. The meaning in the current view is
//! [`update`](super::update)'s business.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::app::{InputMode, ViewId};
use super::request::Reply;

/// Something that changes the state: a key's meaning, a tick or a reply.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Leave the dashboard.
    Quit,
    /// Show view `ViewId`.
    Show(ViewId),
    /// The next tab.
    NextView,
    /// The previous tab.
    PreviousView,
    /// Open or close the help.
    ToggleHelp,
    /// Highlight the row above.
    Up,
    /// Highlight the row below.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// The first row.
    Top,
    /// The last row.
    Bottom,
    /// Open, drill in, fold or unfold, submit.
    Enter,
    /// Close what is open, go back.
    Back,
    /// Toggle: fold a group, mark a test, tick a box.
    Space,
    /// A letter or digit with its command meaning (or typed text).
    Key(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Left arrow (previous export format).
    Left,
    /// Right arrow (next export format).
    Right,
    /// Fetch the delegation from the parent (the form's Ctrl-P).
    Prefill,
    /// A left click on the cell at `column`, `row` (0-based, from the
    /// top left of the screen).
    Click {
        /// The cell's column.
        column: u16,
        /// The cell's row.
        row: u16,
    },
    /// A second went by.
    Tick,
    /// The terminal changed size: just draw again.
    Redraw,
    /// An API call came back.
    Reply(Box<Reply>),
}

/// The action of a terminal event, if it has one.
pub fn from_event(event: &Event, mode: InputMode) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => from_key(key, mode),
        Event::Mouse(mouse) => from_mouse(mouse),
        Event::Resize(..) => Some(Action::Redraw),
        _ => None,
    }
}

/// The action of a key.
pub fn from_key(key: &KeyEvent, mode: InputMode) -> Option<Action> {
    let control = key.modifiers.contains(KeyModifiers::CONTROL);
    if control {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            KeyCode::Char('p') => Some(Action::Prefill),
            _ => None,
        };
    }
    let action = match key.code {
        KeyCode::Tab => Action::NextView,
        KeyCode::BackTab => Action::PreviousView,
        KeyCode::F(number) => view_key(number)?,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home => Action::Top,
        KeyCode::End => Action::Bottom,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Enter => Action::Enter,
        KeyCode::Esc => Action::Back,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Char(' ') => Action::Space,
        KeyCode::Char(c) if mode == InputMode::Text => Action::Key(c),
        KeyCode::Char(c) => command_key(c),
        _ => return None,
    };
    Some(action)
}

/// F1–F5 jump to a view.
fn view_key(number: u8) -> Option<Action> {
    let index = usize::from(number).checked_sub(1)?;
    ViewId::ALL.get(index).copied().map(Action::Show)
}

/// A letter outside a field.
fn command_key(c: char) -> Action {
    match c {
        'q' => Action::Quit,
        '?' => Action::ToggleHelp,
        'k' => Action::Up,
        'j' => Action::Down,
        'g' => Action::Top,
        'G' => Action::Bottom,
        other => Action::Key(other),
    }
}

/// The wheel scrolls and a left click picks a tab or a row. Mouse events
/// come only with `--mouse`: without it the terminal keeps them, and its
/// text selection works.
fn from_mouse(mouse: &MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::ScrollUp => Some(Action::Up),
        MouseEventKind::ScrollDown => Some(Action::Down),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            column: mouse.column,
            row: mouse.row,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn letters_are_commands_outside_fields_and_text_inside() {
        let q = key(KeyCode::Char('q'));
        assert_eq!(from_key(&q, InputMode::Command), Some(Action::Quit));
        assert_eq!(from_key(&q, InputMode::Text), Some(Action::Key('q')));
        let help = key(KeyCode::Char('?'));
        assert_eq!(
            from_key(&help, InputMode::Command),
            Some(Action::ToggleHelp)
        );
        assert_eq!(from_key(&help, InputMode::Text), Some(Action::Key('?')));
    }

    #[test]
    fn control_c_quits_and_tab_switches_views_in_both_modes() {
        let control_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [InputMode::Command, InputMode::Text] {
            assert_eq!(from_key(&control_c, mode), Some(Action::Quit));
            assert_eq!(from_key(&key(KeyCode::Tab), mode), Some(Action::NextView));
        }
        assert_eq!(
            from_key(&key(KeyCode::F(5)), InputMode::Text),
            Some(Action::Show(ViewId::NewTest))
        );
        assert_eq!(from_key(&key(KeyCode::F(9)), InputMode::Command), None);
    }

    #[test]
    fn a_left_click_is_a_click_and_other_buttons_are_not() {
        let mouse = |kind| {
            Event::Mouse(MouseEvent {
                kind,
                column: 12,
                row: 3,
                modifiers: KeyModifiers::NONE,
            })
        };
        assert_eq!(
            from_event(
                &mouse(MouseEventKind::Down(MouseButton::Left)),
                InputMode::Command
            ),
            Some(Action::Click { column: 12, row: 3 })
        );
        assert_eq!(
            from_event(
                &mouse(MouseEventKind::Down(MouseButton::Right)),
                InputMode::Command
            ),
            None
        );
        assert_eq!(
            from_event(
                &mouse(MouseEventKind::Up(MouseButton::Left)),
                InputMode::Command
            ),
            None
        );
        assert_eq!(
            from_event(&mouse(MouseEventKind::ScrollDown), InputMode::Text),
            Some(Action::Down)
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(from_event(&Event::Key(release), InputMode::Command), None);
    }
}
