//! A small line-oriented INI reader that remembers line numbers.
//!
//! Hand-written rather than taken from a crate because every error we
//! report must name the exact line of the offending key, and the INI
//! crates we know drop line numbers after parsing. The dialect is the one
//! of spec 7.1: `[SECTION]` headers, `key = value` lines, whole-line
//! comments starting with `#` or `;`, blanks trimmed, case-sensitive names,
//! no inline comments. A repeated key within a section is an error; a
//! repeated section header just continues that section.

use super::error::ConfigError;

/// One `key = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: String,
    pub value: String,
    /// 1-based line number, for error messages.
    pub line: usize,
}

/// One section with its entries in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub name: String,
    /// Line of the first header, for errors about the section itself.
    pub line: usize,
    pub entries: Vec<Entry>,
}

/// Splits `text` into sections; `file` is only used in error messages.
pub(crate) fn parse_ini(text: &str, file: &str) -> Result<Vec<Section>, ConfigError> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(name) = section_header(trimmed) {
            current = Some(open_section(&mut sections, name, line));
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(ConfigError::Syntax {
                file: file.to_owned(),
                line,
                text: trimmed.to_owned(),
            });
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(ConfigError::Syntax {
                file: file.to_owned(),
                line,
                text: trimmed.to_owned(),
            });
        }
        let Some(section) = current.and_then(|i| sections.get_mut(i)) else {
            return Err(ConfigError::KeyOutsideSection {
                file: file.to_owned(),
                line,
                key: key.to_owned(),
            });
        };
        add_entry(section, key, value.trim(), line, file)?;
    }
    Ok(sections)
}

/// The name inside `[…]`, if the line is a section header.
fn section_header(trimmed: &str) -> Option<&str> {
    let name = trimmed.strip_prefix('[')?.strip_suffix(']')?.trim();
    (!name.is_empty()).then_some(name)
}

/// Index of the section called `name`, creating it if new.
fn open_section(sections: &mut Vec<Section>, name: &str, line: usize) -> usize {
    if let Some(index) = sections.iter().position(|s| s.name == name) {
        return index;
    }
    sections.push(Section {
        name: name.to_owned(),
        line,
        entries: Vec::new(),
    });
    sections.len() - 1
}

/// Appends an entry, refusing a key the section already has.
fn add_entry(
    section: &mut Section,
    key: &str,
    value: &str,
    line: usize,
    file: &str,
) -> Result<(), ConfigError> {
    if let Some(first) = section.entries.iter().find(|e| e.key == key) {
        return Err(ConfigError::DuplicateKey {
            file: file.to_owned(),
            line,
            first_line: first.line,
            section: section.name.clone(),
            key: key.to_owned(),
        });
    }
    section.entries.push(Entry {
        key: key.to_owned(),
        value: value.to_owned(),
        line,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_line_numbers_and_trims() {
        let sections = parse_ini("# c\n[DB]\n\n  engine =  SQLite  \n", "f").unwrap();
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0].name, "DB");
        assert_eq!(
            sections[0].entries,
            vec![Entry {
                key: "engine".into(),
                value: "SQLite".into(),
                line: 4
            }]
        );
    }

    #[test]
    fn value_may_be_empty_and_contain_equals_and_semicolon() {
        let sections = parse_ini("[A]\nx =\ny = a=b ; c\n", "f").unwrap();
        assert_eq!(sections[0].entries[0].value, "");
        assert_eq!(sections[0].entries[1].value, "a=b ; c");
    }

    #[test]
    fn repeated_header_continues_section_but_keys_stay_unique() {
        let err = parse_ini("[A]\nx=1\n[B]\n[A]\nx=2\n", "f").unwrap_err();
        assert!(matches!(
            err,
            ConfigError::DuplicateKey {
                line: 5,
                first_line: 2,
                ..
            }
        ));
    }

    #[test]
    fn rejects_garbage_and_orphan_keys() {
        assert!(matches!(
            parse_ini("[A]\njunk\n", "f"),
            Err(ConfigError::Syntax { line: 2, .. })
        ));
        assert!(matches!(
            parse_ini("x=1\n", "f"),
            Err(ConfigError::KeyOutsideSection { line: 1, .. })
        ));
        assert!(matches!(
            parse_ini("[A]\n= 1\n", "f"),
            Err(ConfigError::Syntax { line: 2, .. })
        ));
    }

    #[test]
    fn section_names_are_case_sensitive() {
        let sections = parse_ini("[db]\n[DB]\n", "f").unwrap();
        assert_eq!(sections.len(), 2);
    }
}
