//! Discovery: an Atom feed of releases (RFC 4287), `sitemap.xml` and `robots.txt`.
//!
//! URLs are absolute and include the base URL's subpath. Entry ids are tag URIs (RFC 4151) made
//! of the company's domain, the release date and its slug, so they never change when the site
//! moves. Times are the release dates at midnight UTC: the content has no other time.

use super::escape_xml as xml;
use crate::content::Release;

/// The domain that names the company in ids: its website's host, else the site's.
pub fn authority(website: Option<&str>, base_url: &str) -> String {
    let host = |url: &str| {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        rest.split(['/', ':', '?', '#'])
            .next()
            .unwrap_or(rest)
            .to_string()
    };
    website.map_or_else(|| host(base_url), host)
}

pub fn entry_id(release: &Release, authority: &str) -> String {
    format!(
        "tag:{authority},{}:releases/{}",
        release.date.iso(),
        release.slug
    )
}

fn timestamp(release: &Release) -> String {
    format!("{}T00:00:00Z", release.date.iso())
}

/// The feed; `releases` are newest first.
pub fn atom(
    releases: &[Release],
    title: &str,
    subtitle: &str,
    company: &str,
    base_url: &str,
    authority: &str,
) -> String {
    let updated = releases
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<subtitle>{}</subtitle>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}feed.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}\"/>\n\
         <id>{base}feed.xml</id>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n",
        xml(title),
        xml(subtitle),
        xml(company),
        base = xml(base_url),
    );
    for release in releases {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}releases/{}/\"/>\n\
             <id>{}</id>\n<published>{}</published>\n<updated>{}</updated>\n\
             <summary>{}</summary>\n</entry>\n",
            xml(&release.title),
            xml(base_url),
            release.slug,
            xml(&entry_id(release, authority)),
            timestamp(release),
            timestamp(release),
            xml(&release.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// One `<url>` per page path (relative to the base URL), with the date it last changed.
pub fn sitemap(base_url: &str, pages: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        out.push_str(&format!("<url><loc>{}{}</loc>", xml(base_url), xml(path)));
        if let Some(date) = lastmod {
            out.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Crawlers read `robots.txt` only at a host's root; on a project subpath it documents intent.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_use_the_company_domain() {
        assert_eq!(
            authority(Some("http://www.internap.com"), "https://o.github.io/r/"),
            "www.internap.com"
        );
        assert_eq!(
            authority(None, "https://o.github.io:8443/r/"),
            "o.github.io"
        );
    }
}
