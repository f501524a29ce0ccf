//! Structured data for search engines and link previews: schema.org JSON-LD (`Corporation`,
//! `NewsArticle` for a release, `Event` for its conference call).

use serde_json::{Value, json};

use crate::config::Config;
use crate::content::Release;

fn corporation(config: &Config) -> Value {
    let company = &config.company;
    let mut value = json!({
        "@type": "Corporation",
        "name": company.name,
        // schema.org: the exchange and the instrument, separated by a space.
        "tickerSymbol": format!("{} {}", company.exchange, company.ticker),
    });
    if let Some(website) = &company.website {
        value["url"] = json!(website);
    }
    value
}

/// JSON that can sit inside `<script type="application/ld+json">`: `<`, `>` and `&` are written
/// as JSON escapes, so no text from the content can close the element or look like markup.
fn script_safe(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The home page: the company.
pub fn home(config: &Config) -> String {
    let mut value = corporation(config);
    value["@context"] = json!("https://schema.org");
    script_safe(&value)
}

/// A release page: the release as a news article and its conference call as an event.
pub fn release(config: &Config, release: &Release, url: &str) -> String {
    let mut graph = vec![json!({
        "@type": "NewsArticle",
        "headline": release.title,
        "description": release.summary,
        "datePublished": release.date.iso(),
        "dateline": release.dateline,
        "url": url,
        "mainEntityOfPage": url,
        "author": corporation(config),
        "publisher": corporation(config),
    })];
    if let Some(call) = &release.call {
        let mut event = json!({
            "@type": "Event",
            "name": call.title,
            "startDate": call.start_text,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "organizer": corporation(config),
            "description": super::calendar::description(call),
        });
        if let Some(webcast) = &call.webcast {
            event["location"] = json!({ "@type": "VirtualLocation", "url": webcast });
        }
        graph.push(event);
    }
    script_safe(&json!({ "@context": "https://schema.org", "@graph": graph }))
}
