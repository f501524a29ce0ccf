//! The conference call as an iCalendar file (RFC 5545), built from the release's `[call]`.
//!
//! Every field comes from the content, so builds stay reproducible: DTSTAMP is the release date
//! at midnight UTC, DTSTART the call's start converted to UTC (5:00 p.m. EDT on May 4, 2006 is
//! 21:00 UTC), and the UID names the release, so a re-published file updates the same event.

use crate::content::{Call, DateTime, Line, Release};

pub fn ics_path(release: &Release) -> String {
    format!("releases/{}/conference-call.ics", release.slug)
}

/// TEXT values (RFC 5545 3.3.11) escape backslashes, semicolons, commas and line breaks, and
/// hold no control character but tab: a line break (LF, or the CRLF of a Windows-edited file)
/// becomes `\n`, and any other control character, which the content loader refuses, is
/// dropped rather than written, so no value can start a line of its own.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, on character boundaries, with CRLF and a space.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn stamp(at: &DateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}00Z",
        at.date.year, at.date.month, at.date.day, at.hour, at.minute
    )
}

fn lines(title: &str, lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            format!(
                "{title} ({}): {}, pass code {}",
                l.label, l.number, l.pass_code
            )
        })
        .collect()
}

/// The description: dial-in numbers, webcast and replay, one per line.
pub fn description(call: &Call) -> String {
    let mut parts = lines("Dial-in", &call.dial_in);
    if let Some(webcast) = &call.webcast {
        parts.push(format!("Webcast: {webcast}"));
    }
    let replay_title = match &call.replay_until {
        Some(until) => format!("Replay until {}", until.long()),
        None => "Replay".to_string(),
    };
    parts.extend(lines(&replay_title, &call.replay));
    parts.join("\n")
}

/// The `.ics` file; `url` is the release page's absolute URL, `authority` a domain for the UID.
pub fn ics(release: &Release, call: &Call, url: &str, authority: &str) -> String {
    let midnight = DateTime {
        date: release.date,
        hour: 0,
        minute: 0,
    };
    let mut fields = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//irsite//Investor relations//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}-conference-call@{authority}", release.slug),
        format!("DTSTAMP:{}", stamp(&midnight)),
        format!("DTSTART:{}", stamp(&call.start_utc)),
    ];
    if let Some(minutes) = call.duration_minutes {
        fields.push(format!("DURATION:PT{minutes}M"));
    }
    fields.push(format!("SUMMARY:{}", text(&call.title)));
    fields.push(format!("DESCRIPTION:{}", text(&description(call))));
    if let Some(webcast) = &call.webcast {
        fields.push(format!("LOCATION:{}", text(webcast)));
    }
    fields.push(format!("URL:{url}"));
    fields.push("END:VEVENT".to_string());
    fields.push("END:VCALENDAR".to_string());
    fields.iter().map(|f| fold(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        assert_eq!(text("a\r\nb\rc\u{0}d\te"), "a\\nbcd\te");
        let folded = fold(&"x".repeat(160));
        let lines: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1].starts_with(' ') && lines[1].len() == 75);
        assert!(folded.ends_with("\r\n"));
        let accented = fold(&"é".repeat(50));
        assert!(accented.split("\r\n").all(|l| l.len() <= 75));
    }
}
