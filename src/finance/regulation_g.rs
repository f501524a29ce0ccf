//! Non-GAAP prominence (Regulation G, Regulation S-K Item 10(e), SEC C&DI 102.10): a non-GAAP
//! measure never comes before, or without, its most comparable GAAP measure, and always links
//! to its reconciliation.
//!
//! The data marks non-GAAP rows (`non_gaap = true`) and names each one's comparable GAAP row
//! (`comparable = "net_income"`): measures are rows, found in prose by their citations and by
//! their names. A row's name is its label up to the first " (" or "," ("Adjusted EBITDA", "Pro
//! forma net income"), matched case-insensitively with hyphens read as spaces, unless another
//! row of the release goes by the same name and one of the two is non-GAAP: a generic label
//! ("Diluted" under both "Net income per share" and "Non-GAAP net income per share") names no
//! measure, and such a row is found by its citations only. Messages call it by its label under its heading ("Non-GAAP net income
//! per share: Diluted"), so they always name two different measures.
//!
//! What is checked depends on the release's date ([`Interpretation`]): the rules in force when
//! it was issued.

use super::citations::Cited;
use super::date::Date;
use super::statement::{LineItem, RowKind, Statement};
use memchr::memmem::Finder;

/// The rules a release is checked by, from the interpretation in force on its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Interpretation {
    /// Before Regulation G and the amended Regulation S-K Item 10(e) took effect (March 28,
    /// 2003): nothing is checked.
    BeforeRegulationG,
    /// From March 28, 2003: the GAAP measure with equal or greater prominence (Item 10(e),
    /// applied to earnings releases by Form 8-K Item 12, later Item 2.02), checked in the
    /// highlights, with the link to the reconciliation; headings and titles are not checked.
    Prominence2003,
    /// From May 17, 2016, when the staff's C&DI 102.10 (updated December 13, 2022) read a
    /// headline, heading or table title naming only the non-GAAP measure as more prominent:
    /// the highlights, the release title, the Markdown headings and the table titles.
    Headings2016,
}

/// The day Regulation G and the amended Item 10(e) took effect (SEC Release 33-8176).
pub const REGULATION_G_EFFECTIVE: Date = Date {
    year: 2003,
    month: 3,
    day: 28,
};

/// The day the staff issued C&DI 102.10 on prominence.
pub const CDI_102_10_ISSUED: Date = Date {
    year: 2016,
    month: 5,
    day: 17,
};

impl Interpretation {
    /// The interpretation in force on `date`.
    pub fn on(date: Date) -> Interpretation {
        if date < REGULATION_G_EFFECTIVE {
            Interpretation::BeforeRegulationG
        } else if date < CDI_102_10_ISSUED {
            Interpretation::Prominence2003
        } else {
            Interpretation::Headings2016
        }
    }

    /// Whether highlights are checked for prominence and reconciliation links.
    pub fn checks_highlights(self) -> bool {
        self != Interpretation::BeforeRegulationG
    }

    /// Whether headings and titles are checked.
    pub fn checks_headings(self) -> bool {
        self == Interpretation::Headings2016
    }

    /// What `check --verbose` says was applied.
    pub fn describe(self) -> &'static str {
        match self {
            Interpretation::BeforeRegulationG => {
                "not checked: dated before Regulation G took effect on March 28, 2003"
            }
            Interpretation::Prominence2003 => {
                "Regulation G and Item 10(e) as in force from March 28, 2003: the GAAP measure \
                 first in the highlights, each non-GAAP measure linked to its reconciliation; \
                 headings and titles not checked (dated before C&DI 102.10 of May 17, 2016)"
            }
            Interpretation::Headings2016 => {
                "Regulation G and Item 10(e) as read by C&DI 102.10 from May 17, 2016: the GAAP \
                 measure first in the highlights, the title, the headings and the table titles, \
                 each non-GAAP measure in a highlight linked to its reconciliation"
            }
        }
    }
}

/// A non-GAAP measure of a release and what Regulation G ties it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub row: String,
    /// What messages call it: its name, or its label under its heading where the label is
    /// generic ("Non-GAAP net income per share: Diluted").
    pub name: String,
    /// The name prose calls it by, or `None` where the label is generic.
    pub prose_name: Option<String>,
    /// The comparable GAAP measure's row id, its table, and its names as above.
    pub comparable: String,
    pub comparable_table: String,
    pub comparable_name: String,
    pub comparable_prose_name: Option<String>,
    /// The table that reconciles it, its anchor on the release page.
    pub reconciliation: String,
}

/// The name a measure goes by in prose.
pub fn measure_name(row: &LineItem) -> String {
    name_of(&row.label).to_string()
}

/// The label up to the first " (" or ",", trimmed.
fn name_of(label: &str) -> &str {
    let bytes = label.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == b',' || (bytes[i] == b'(' && i > 0 && bytes[i - 1] == b' '))
        .map_or(label.len(), |i| if bytes[i] == b'(' { i - 1 } else { i });
    label[..end].trim()
}

/// Whether two names are one, as prose matches them: ignoring ASCII case, hyphens as spaces.
fn same_name(a: &str, b: &str) -> bool {
    let fold = |b: u8| {
        if b == b'-' {
            b' '
        } else {
            b.to_ascii_lowercase()
        }
    };
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y))
}

/// A row of a release with the heading it sits under, its table and its name.
struct Row<'a> {
    row: &'a LineItem,
    heading: Option<&'a LineItem>,
    table: &'a Statement,
    name: &'a str,
}

/// Every row of a release, each with its context.
struct Rows<'a>(Vec<Row<'a>>);

impl<'a> Rows<'a> {
    fn of(tables: &'a [Statement]) -> Rows<'a> {
        let mut rows = Vec::new();
        for table in tables {
            let lists = std::iter::once(&table.rows).chain(table.footnotes.iter().map(|f| &f.rows));
            for list in lists {
                let mut heading = None;
                for row in list {
                    rows.push(Row {
                        row,
                        heading,
                        table,
                        name: name_of(&row.label),
                    });
                    if row.kind == RowKind::Heading {
                        heading = Some(row);
                    }
                }
            }
        }
        Rows(rows)
    }

    fn find(&self, id: &str, non_gaap: bool) -> Option<&Row<'a>> {
        self.0
            .iter()
            .find(|r| &*r.row.id == id && r.row.non_gaap == non_gaap)
    }

    /// `row`'s name in prose, unless it is empty or generic: a row with another id goes by it
    /// and one of the two is non-GAAP. GAAP rows may share a name ("Net income (loss)" in the
    /// statement of operations and in the cash flows): it names the same GAAP figure.
    fn prose_name(&self, row: &Row) -> Option<String> {
        let shared = self.0.iter().any(|other| {
            (other.row.non_gaap || row.row.non_gaap)
                && same_name(other.name, row.name)
                && other.row.id != row.row.id
        });
        (!shared && !row.name.is_empty()).then(|| row.name.to_string())
    }

    /// What messages call `row`: its prose name, or its label under its heading.
    fn title(&self, row: &Row) -> String {
        match (self.prose_name(row), row.heading) {
            (Some(name), _) => name,
            (None, Some(heading)) => format!(
                "{}: {}",
                heading.label.trim().trim_end_matches(':').trim_end(),
                row.row.label.trim()
            ),
            (None, None) => format!("{} (row {})", row.row.label.trim(), row.row.id),
        }
    }
}

/// The release's non-GAAP measures, or the problems with how the data declares them.
pub fn measures(tables: &[Statement]) -> Result<Vec<Measure>, Vec<(usize, usize, String)>> {
    let mut measures: Vec<Measure> = Vec::new();
    let mut problems = Vec::new();
    if !tables.iter().flat_map(|t| t.all_rows()).any(|r| r.non_gaap) {
        return Ok(measures);
    }
    let rows = Rows::of(tables);
    for (t, table) in tables.iter().enumerate() {
        for row in table.all_rows().filter(|r| r.non_gaap) {
            let Some(comparable) = &row.comparable else {
                continue; // Reported by the table's own validation.
            };
            let Some(gaap) = rows.find(comparable, false) else {
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
            let Some(this) = rows.find(&row.id, true) else {
                continue; // Unreachable: `row` is one of `rows`.
            };
            let mut name = rows.title(this);
            let mut comparable_name = rows.title(gaap);
            if same_name(&name, &comparable_name) {
                // Labels and headings alike: only the row ids tell them apart.
                name = format!("{name} (row {})", row.id);
                comparable_name = format!("{comparable_name} (row {})", gaap.row.id);
            }
            measures.push(Measure {
                row: row.id.to_string(),
                name,
                prose_name: rows.prose_name(this),
                comparable: comparable.to_string(),
                comparable_table: gaap.table.id.clone(),
                comparable_name,
                comparable_prose_name: rows.prose_name(gaap),
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
    /// Each measure's prose name, in the order of `measures`; `None` for a generic one.
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
            let Some(found) = measure.comparable_prose_name.as_deref().and_then(finder) else {
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
            names: measures
                .iter()
                .map(|m| m.prose_name.as_deref().and_then(finder))
                .collect(),
            comparables,
        }
    }
}

impl MeasureNames<'_> {
    /// Whether `text` has any non-GAAP measure's prose name in it, as a word or not: a quick
    /// test before a text's headings are read.
    pub fn any_non_gaap_named(&self, text: &str) -> bool {
        let normalized = normalize(text);
        self.names
            .iter()
            .flatten()
            .any(|name| name.find(&normalized).is_some())
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
    let fix = match &measure.comparable_prose_name {
        Some(name) => format!("name or cite {name} first"),
        None => format!(
            "cite {}.{} first",
            measure.comparable_table, measure.comparable
        ),
    };
    format!(
        "{place} names the non-GAAP measure {:?} before, or without, its most comparable GAAP \
         measure {:?}; Regulation G requires the GAAP measure with equal or greater prominence: \
         {fix}",
        measure.name, measure.comparable_name
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
            prose_name: Some("Adjusted EBITDA".into()),
            comparable: "net_income".into(),
            comparable_table: "operations".into(),
            comparable_name: "Net income".into(),
            comparable_prose_name: Some("Net income".into()),
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
            prose_name: Some("Pro forma net income".into()),
            comparable: "net_income".into(),
            comparable_table: "operations".into(),
            comparable_name: "Net income".into(),
            comparable_prose_name: Some("Net income".into()),
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

    #[test]
    fn the_rules_are_those_in_force_on_the_release_date() {
        let on = |iso: &str| Interpretation::on(iso.parse::<Date>().unwrap());
        assert_eq!(on("2003-03-27"), Interpretation::BeforeRegulationG);
        assert_eq!(on("2003-03-28"), Interpretation::Prominence2003);
        assert_eq!(on("2016-05-16"), Interpretation::Prominence2003);
        assert_eq!(on("2016-05-17"), Interpretation::Headings2016);
        assert!(!on("2003-03-27").checks_highlights());
        assert!(on("2006-05-04").checks_highlights() && !on("2006-05-04").checks_headings());
        assert!(on("2023-01-01").checks_headings());
    }

    #[test]
    fn a_generic_label_names_no_measure_and_messages_tell_the_rows_apart() {
        use crate::finance::{LineItem, RowKind};
        let table = |id: &str, heading: &str, non_gaap: bool| {
            let mut rows = vec![LineItem::for_test("heading", RowKind::Heading, &[], 1)];
            rows[0].label = heading.into();
            let mut diluted = LineItem::for_test(id, RowKind::PerShare, &["0.05"], 2);
            diluted.label = "Diluted".into();
            diluted.non_gaap = non_gaap;
            diluted.comparable = non_gaap.then(|| "diluted".into());
            rows.push(diluted);
            Statement {
                title: "T".into(),
                non_gaap,
                source: "t.toml".into(),
                ..Statement::for_test(
                    if non_gaap { "non-gaap" } else { "eps" },
                    "in dollars",
                    crate::finance::Scale::Thousands,
                    vec![crate::finance::period::december("2006-Q1")],
                    rows,
                )
            }
        };
        let tables = [
            table("diluted", "Net income per share:", false),
            table("non_gaap_diluted", "Non-GAAP net income per share:", true),
        ];
        let measures = measures(&tables).unwrap();
        assert_eq!(measures.len(), 1);
        let m = &measures[0];
        assert_eq!(m.prose_name, None);
        assert_eq!(m.comparable_prose_name, None);
        assert_eq!(m.name, "Non-GAAP net income per share: Diluted");
        assert_eq!(m.comparable_name, "Net income per share: Diluted");
        // The word alone names neither.
        let names = MeasureNames::new(&measures);
        assert!(check_highlights(&[plain("Diluted, diluted")], &names).is_empty());
        // Under headings of one name too, the rows' ids tell them apart.
        let same = [
            table("diluted", "Per share:", false),
            table("non_gaap_diluted", "Per share:", true),
        ];
        let m = &super::measures(&same).unwrap()[0];
        assert_eq!(m.name, "Per share: Diluted (row non_gaap_diluted)");
        assert_eq!(m.comparable_name, "Per share: Diluted (row diluted)");
    }

    #[test]
    fn gaap_rows_may_share_a_name() {
        use crate::finance::{LineItem, RowKind};
        let row = |id: &str, label: &str, non_gaap: bool| {
            let mut row = LineItem::for_test(id, RowKind::Item, &["1"], 1);
            row.label = label.into();
            row.non_gaap = non_gaap;
            row.comparable = non_gaap.then(|| "net_income".into());
            row
        };
        let table = Statement {
            title: "T".into(),
            non_gaap: true,
            source: "t.toml".into(),
            ..Statement::for_test(
                "recon",
                "in thousands",
                crate::finance::Scale::Thousands,
                vec![crate::finance::period::december("2006-Q1")],
                vec![
                    row("net_income", "Net income (loss)", false),
                    row("net_income_start", "Net income (loss)", false),
                    row("adjusted_ebitda", "Adjusted EBITDA", true),
                ],
            )
        };
        let m = &measures(std::slice::from_ref(&table)).unwrap()[0];
        assert_eq!(m.prose_name.as_deref(), Some("Adjusted EBITDA"));
        assert_eq!(m.comparable_prose_name.as_deref(), Some("Net income"));
    }
}
