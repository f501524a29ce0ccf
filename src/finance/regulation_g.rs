//! Non-GAAP prominence (Regulation G, SEC C&DI 102.10): a non-GAAP measure never comes before,
//! or without, its most comparable GAAP measure, and always links to its reconciliation.
//!
//! The data marks non-GAAP rows (`non_gaap = true`) and names each one's comparable GAAP row
//! (`comparable = "net_income"`). A measure is *named* in text by a citation of its row or by
//! its name, which is the row's label up to the first " (" or "," ("Adjusted EBITDA",
//! "Pro forma net income"), matched case-insensitively with hyphens read as spaces.

use super::citations::Cited;
use super::statement::{LineItem, Statement};
use memchr::memmem::Finder;

/// A non-GAAP measure of a release and what Regulation G ties it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub row: String,
    pub name: String,
    /// The comparable GAAP measure's row id and name.
    pub comparable: String,
    pub comparable_name: String,
    /// The table that reconciles it, its anchor on the release page.
    pub reconciliation: String,
}

/// The name a measure goes by in prose.
pub fn measure_name(row: &LineItem) -> String {
    let label: &str = &row.label;
    let end = [" (", ","]
        .iter()
        .filter_map(|stop| label.find(stop))
        .min()
        .unwrap_or(label.len());
    label[..end].trim().to_string()
}

/// The release's non-GAAP measures, or the problems with how the data declares them.
pub fn measures(tables: &[Statement]) -> Result<Vec<Measure>, Vec<(usize, usize, String)>> {
    let mut measures: Vec<Measure> = Vec::new();
    let mut problems = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for row in table.all_rows().filter(|r| r.non_gaap) {
            let Some(comparable) = &row.comparable else {
                continue; // Reported by the table's own validation.
            };
            let gaap = tables
                .iter()
                .flat_map(|t| t.all_rows())
                .find(|r| &r.id == comparable && !r.non_gaap);
            let Some(gaap) = gaap else {
                problems.push((
                    t,
                    row.line,
                    format!(
                        "row {:?}: comparable = {comparable:?} names no GAAP row of this release",
                        row.id
                    ),
                ));
                continue;
            };
            if measures.iter().any(|m| *m.row == *row.id) {
                continue;
            }
            measures.push(Measure {
                row: row.id.to_string(),
                name: measure_name(row),
                comparable: comparable.to_string(),
                comparable_name: measure_name(gaap),
                reconciliation: table.id.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(measures)
    } else {
        Err(problems)
    }
}

/// Lowercase with hyphens as spaces; the same length in bytes, so offsets carry over.
fn normalize(text: &str) -> Vec<u8> {
    text.bytes()
        .map(|b| {
            if b == b'-' {
                b' '
            } else {
                b.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The names a release's measures go by, normalized once and searched for in each of its
/// texts (a release has a few measures and a score of highlights, headings and titles).
pub struct MeasureNames<'a> {
    measures: &'a [Measure],
    /// Each measure's name, in the order of `measures`; `None` for an empty one.
    names: Vec<Option<Finder<'static>>>,
    /// Each distinct comparable GAAP name and the measures it is comparable to.
    comparables: Vec<(Finder<'static>, Vec<&'a Measure>)>,
}

impl<'a> MeasureNames<'a> {
    pub fn new(measures: &'a [Measure]) -> MeasureNames<'a> {
        let finder = |name: &str| {
            let name = normalize(name);
            (!name.is_empty()).then(|| Finder::new(&name).into_owned())
        };
        let mut comparables: Vec<(Finder<'static>, Vec<&Measure>)> = Vec::new();
        for measure in measures {
            let Some(found) = finder(&measure.comparable_name) else {
                continue;
            };
            match comparables
                .iter_mut()
                .find(|(f, _)| f.needle() == found.needle())
            {
                Some((_, compared)) => compared.push(measure),
                None => comparables.push((found, vec![measure])),
            }
        }
        MeasureNames {
            measures,
            names: measures.iter().map(|m| finder(&m.name)).collect(),
            comparables,
        }
    }
}

/// Byte ranges where `name` occurs in `text` (`normalized` is its normalized bytes) as whole
/// words.
fn find_normalized(text: &str, normalized: &[u8], name: &Finder) -> Vec<(usize, usize)> {
    // Normalizing keeps every byte's offset and leaves letters and digits alone, so the
    // neighbours of a match are read in the original text.
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = name.find(&normalized[from..]).map(|i| from + i) {
        let end = i + name.needle().len();
        let before = text.get(..i).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        if !word(before) && !word(after) {
            found.push((i, end));
        }
        from = i + 1;
    }
    found
}

/// Byte ranges where `name` occurs in `text` as whole words.
#[cfg(test)]
fn find_name(text: &str, name: &str) -> Vec<(usize, usize)> {
    let name = normalize(name);
    find_normalized(text, &normalize(text), &Finder::new(&name))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mention<'a> {
    Gaap(&'a str),
    NonGaap(&'a Measure),
}

/// Measures named in `text`, in order of appearance.
fn mentions<'a>(
    text: &str,
    cited: &'a [Cited],
    names: &MeasureNames<'a>,
) -> Vec<(usize, Mention<'a>)> {
    let mut found = Vec::new();
    let mut non_gaap_spans = Vec::new();
    let normalized = normalize(text);
    for (measure, name) in names.measures.iter().zip(&names.names) {
        for span in name
            .iter()
            .flat_map(|name| find_normalized(text, &normalized, name))
        {
            non_gaap_spans.push((span, measure));
        }
    }
    // "EBITDA" inside "Adjusted EBITDA" names the longer measure only.
    let longest: Vec<_> = non_gaap_spans
        .iter()
        .filter(|((s, e), _)| {
            !non_gaap_spans
                .iter()
                .any(|((s2, e2), _)| s2 <= s && e <= e2 && e2 - s2 > e - s)
        })
        .collect();
    for ((start, _), measure) in &longest {
        found.push((*start, Mention::NonGaap(measure)));
    }
    let non_gaap_spans: Vec<(usize, usize)> = non_gaap_spans.iter().map(|(s, _)| *s).collect();
    for (name, compared) in &names.comparables {
        for (start, end) in find_normalized(text, &normalized, name) {
            // "net income" inside "pro forma net income" is not the GAAP measure.
            if !non_gaap_spans.iter().any(|&(s, e)| start < e && s < end) {
                for measure in compared {
                    found.push((start, Mention::Gaap(&measure.comparable)));
                }
            }
        }
    }
    for citation in cited {
        for row in &citation.rows {
            let measure = names
                .measures
                .iter()
                .find(|m| m.row == row.row && row.non_gaap);
            let mention = match measure {
                Some(measure) => Mention::NonGaap(measure),
                None => Mention::Gaap(&row.row),
            };
            found.push((citation.start, mention));
        }
    }
    // At one offset a GAAP mention counts first: "net income of $X" cites within its own span.
    found.sort_by_key(|(offset, m)| (*offset, matches!(m, Mention::NonGaap(_))));
    found
}

/// A highlight or heading as the checks see it.
pub struct Text<'a> {
    pub text: &'a str,
    pub cited: &'a [Cited],
}

fn names_first(measure: &Measure, place: &str) -> String {
    format!(
        "{place} names the non-GAAP measure {:?} before, or without, its most comparable GAAP \
         measure {:?}; Regulation G requires the GAAP measure with equal or greater prominence: \
         name or cite {} first",
        measure.name, measure.comparable_name, measure.comparable_name
    )
}

/// Checks the highlights, in order: a non-GAAP measure only after its GAAP measure (here or in
/// an earlier highlight), and a link to its reconciliation in the same highlight. Returns
/// (highlight index, problem).
pub fn check_highlights(highlights: &[Text], names: &MeasureNames) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let mut seen_gaap: Vec<&str> = Vec::new();
    for (i, highlight) in highlights.iter().enumerate() {
        let mut named: Vec<&Measure> = Vec::new();
        for (_, mention) in mentions(highlight.text, highlight.cited, names) {
            match mention {
                Mention::Gaap(id) => seen_gaap.push(id),
                Mention::NonGaap(measure) => {
                    if named.contains(&measure) {
                        continue;
                    }
                    named.push(measure);
                    if !seen_gaap.contains(&measure.comparable.as_str()) {
                        problems.push((i, names_first(measure, "the highlight")));
                    }
                }
            }
        }
        for measure in named {
            let id = &measure.reconciliation;
            let links = [
                format!("(#{id})"),
                format!("(#{id} \""),
                format!("href=\"#{id}\""),
            ];
            if !links.iter().any(|l| highlight.text.contains(l)) {
                problems.push((
                    i,
                    format!(
                        "the highlight names the non-GAAP measure {:?} without a link to its \
                         reconciliation: cite its figure, or link the name, e.g. [{}](#{})",
                        measure.name, measure.name, measure.reconciliation
                    ),
                ));
            }
        }
    }
    problems
}

/// Checks a heading or title: a non-GAAP measure only after its GAAP measure in the same text.
pub fn check_heading(heading: &Text, names: &MeasureNames) -> Option<String> {
    let mut seen_gaap: Vec<&str> = Vec::new();
    for (_, mention) in mentions(heading.text, heading.cited, names) {
        match mention {
            Mention::Gaap(id) => seen_gaap.push(id),
            Mention::NonGaap(measure) if !seen_gaap.contains(&measure.comparable.as_str()) => {
                return Some(names_first(measure, "the heading"));
            }
            Mention::NonGaap(_) => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjusted_ebitda() -> Vec<Measure> {
        vec![Measure {
            row: "adjusted_ebitda".into(),
            name: "Adjusted EBITDA".into(),
            comparable: "net_income".into(),
            comparable_name: "Net income".into(),
            reconciliation: "recon".into(),
        }]
    }

    fn plain(text: &str) -> Text<'_> {
        Text { text, cited: &[] }
    }

    #[test]
    fn names_are_matched_as_whole_words_ignoring_case_and_hyphens() {
        assert_eq!(
            find_name("Pro-forma Net Income", "pro forma net income"),
            vec![(0, 20)]
        );
        assert_eq!(find_name("netincome", "net income"), vec![]);
        assert_eq!(find_name("EBITDA, Adjusted EBITDA", "EBITDA").len(), 2);
        // Neighbours are whole characters of the text, letters in any script.
        assert_eq!(find_name("é-EBITDA—", "EBITDA"), vec![(3, 9)]);
        assert_eq!(find_name("éEBITDA", "EBITDA"), vec![]);
        assert_eq!(find_name("EBITDAé", "EBITDA"), vec![]);
    }

    #[test]
    fn labels_give_measure_names() {
        let mut row = crate::finance::LineItem {
            id: "x".into(),
            label: "Normalized net income (loss) including the effect".into(),
            kind: crate::finance::RowKind::Item,
            indent: 0,
            notes: vec![],
            currency: None,
            unit: None,
            scale: None,
            non_gaap: true,
            comparable: None,
            values: Box::default(),
            equals: vec![],
            not_additive: false,
            line: 1,
        };
        assert_eq!(measure_name(&row), "Normalized net income");
        row.label = "Stock-based compensation expense, per share".into();
        assert_eq!(measure_name(&row), "Stock-based compensation expense");
    }

    #[test]
    fn a_non_gaap_highlight_needs_the_gaap_measure_first_and_a_link() {
        let measures = adjusted_ebitda();
        let ok = [
            plain("Net income of $0.5 million"),
            plain("Record [Adjusted EBITDA](#recon) of $5.8 million"),
        ];
        assert!(check_highlights(&ok, &MeasureNames::new(&measures)).is_empty());
        let reversed = [ok[1].text, ok[0].text].map(plain);
        let problems = check_highlights(&reversed, &MeasureNames::new(&measures));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 0);
        assert!(problems[0].1.contains("before, or without"), "{problems:?}");
        let unlinked = [
            plain("Net income"),
            plain("Adjusted EBITDA of $5.8 million"),
        ];
        let problems = check_highlights(&unlinked, &MeasureNames::new(&measures));
        assert!(problems[0].1.contains("without a link"), "{problems:?}");
    }

    #[test]
    fn gaap_words_inside_a_non_gaap_name_do_not_count() {
        let measures = vec![Measure {
            row: "pro_forma_net_income".into(),
            name: "Pro forma net income".into(),
            comparable: "net_income".into(),
            comparable_name: "Net income".into(),
            reconciliation: "pro-forma".into(),
        }];
        assert!(
            check_heading(
                &plain("Pro forma net income"),
                &MeasureNames::new(&measures)
            )
            .is_some()
        );
        assert!(
            check_heading(
                &plain("Net income and pro forma net income"),
                &MeasureNames::new(&measures)
            )
            .is_none()
        );
        assert!(
            check_heading(
                &plain("Reconciliation of Net Income (Loss) to EBITDA"),
                &MeasureNames::new(&adjusted_ebitda())
            )
            .is_none()
        );
        assert!(
            check_heading(
                &plain("Adjusted EBITDA and net income"),
                &MeasureNames::new(&adjusted_ebitda())
            )
            .is_some()
        );
    }
}
