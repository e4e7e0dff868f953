//! OOXML document properties: docProps/core.xml, app.xml and custom.xml, mapped to the shared metadata keys.

use dossier_document::{ExtractError, Metadata};

use crate::package::Package;
use crate::xml::{self, XmlEvent};

/// Reads the three property parts into `metadata`; damaged ones become diagnostics in the package.
pub(crate) fn read(package: &mut Package, metadata: &mut Metadata) -> Result<(), ExtractError> {
    if let Some(core) = package.read_secondary("docProps/core.xml")? {
        let result = read_flat(&core, |name, value| {
            let key = match name {
                "title" => "title",
                "subject" => "subject",
                "creator" => "author",
                "description" => "description",
                "lastModifiedBy" => "last_modified_by",
                "revision" => "revision",
                "created" => "created",
                "modified" => "modified",
                "lastPrinted" => "last_printed",
                "category" => "category",
                "language" => "language",
                "contentStatus" => "content_status",
                "keywords" => {
                    for keyword in value.split([';', ',']) {
                        metadata.push("keywords", keyword);
                    }
                    return;
                }
                _ => return,
            };
            metadata.set(key, value);
        });
        if let Err(err) = result {
            package.diagnostics.push(format!("docProps/core.xml: {err}"));
        }
    }
    if let Some(app) = package.read_secondary("docProps/app.xml")? {
        let result = read_flat(&app, |name, value| {
            let key = match name {
                "Application" => "application",
                "AppVersion" => "app_version",
                "Company" => "company",
                "Manager" => "manager",
                "Template" => "template",
                "TotalTime" => "total_edit_time",
                "Pages" => "pages",
                "Words" => "words",
                "Characters" => "characters",
                "Slides" => "slides",
                _ => return,
            };
            metadata.set(key, value);
        });
        if let Err(err) = result {
            package.diagnostics.push(format!("docProps/app.xml: {err}"));
        }
    }
    if let Some(custom) = package.read_secondary("docProps/custom.xml")? {
        let result = read_custom(&custom, metadata);
        if let Err(err) = result {
            package.diagnostics.push(format!("docProps/custom.xml: {err}"));
        }
    }
    Ok(())
}

/// Calls `found(local name, text)` for each direct child of the root element that holds text.
fn read_flat(xml: &str, mut found: impl FnMut(&str, &str)) -> Result<(), String> {
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    let mut value = String::new();
    xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) => {
            depth += 1;
            if depth == 2 {
                current = Some(String::from_utf8_lossy(tag.local()).into_owned());
                value.clear();
            }
        }
        XmlEvent::Text(text) => {
            if depth == 2 {
                value.push_str(text);
            }
        }
        XmlEvent::End(_) => {
            if depth == 2
                && let Some(name) = current.take()
            {
                found(&name, &value);
            }
            depth = depth.saturating_sub(1);
        }
    })
}

fn read_custom(xml: &str, metadata: &mut Metadata) -> Result<(), String> {
    let mut name: Option<String> = None;
    let mut value = String::new();
    xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) if tag.local() == b"property" => {
            name = tag.attr("name");
            value.clear();
        }
        XmlEvent::Text(text) if name.is_some() => value.push_str(text),
        XmlEvent::End(b"property") => {
            if let Some(name) = name.take() {
                metadata.set(&format!("custom:{name}"), value.as_str());
            }
        }
        _ => {}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_properties_skip_nested_vectors() {
        let mut seen = Vec::new();
        read_flat(
            "<Properties><Company>ООО Ромашка</Company><TitlesOfParts><vt:vector><vt:lpstr>x</vt:lpstr></vt:vector></TitlesOfParts></Properties>",
            |name, value| seen.push(format!("{name}={value}")),
        )
        .expect("well-formed");
        assert_eq!(seen, ["Company=ООО Ромашка", "TitlesOfParts="]);
    }
}
