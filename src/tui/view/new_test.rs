//! The New test view: the form.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::tui::app::{AppState, FormField, FormState};

/// The New test view.
pub struct NewTestView<'a>(pub &'a AppState);

impl Widget for NewTestView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.0;
        let form = &state.form;
        let mut lines: Vec<Line> = FormField::ALL
            .iter()
            .map(|field| {
                let is_focused = *field == form.focus;
                let value = value_text(form, *field, is_focused);
                let label = format!("{:>8}: ", field.label());
                let style = if is_focused {
                    state.theme.selected()
                } else {
                    Default::default()
                };
                Line::from(vec![
                    Span::styled(label, state.theme.heading()),
                    Span::styled(value, style),
                ])
            })
            .collect();
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "NS: NAME or NAME/IP, space-separated · DS: KEYTAG,ALG,DIGTYPE,DIGEST",
            state.theme.muted(),
        )));
        if let Some(notice) = &form.notice {
            lines.push(Line::from(""));
            lines.push(Line::from(notice.as_str()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title("New test"))
            .render(area, buf);
    }
}

fn value_text(form: &FormState, field: FormField, is_focused: bool) -> String {
    let tick = |on: bool| if on { "[x]" } else { "[ ]" }.to_owned();
    let text = match field {
        FormField::Domain => form.domain.clone(),
        FormField::Nameservers => form.nameservers.clone(),
        FormField::Ds => form.ds.clone(),
        FormField::Profile => form.profile.clone(),
        FormField::Priority => form.priority.clone(),
        FormField::Ipv4 => return tick(form.ipv4),
        FormField::Ipv6 => return tick(form.ipv6),
    };
    if is_focused {
        format!("{text}▏")
    } else {
        text
    }
}
