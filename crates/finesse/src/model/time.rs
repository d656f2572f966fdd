use chrono::{DateTime, NaiveDateTime, Utc};

/// Reads a Finesse timestamp as UTC.
///
/// Finesse writes `YYYY-MM-DDThh:MM:ss.SSSZ`; scheduled callbacks use `YYYY-MM-DDTHH:MM`
/// without seconds or zone (read as UTC). Anything else is `None`.
pub fn parse_timestamp(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn finesse_millisecond_timestamps_are_read_as_utc() {
        let at = parse_timestamp("2023-01-13T11:07:11.466Z").unwrap();
        assert_eq!(at.to_rfc3339(), "2023-01-13T11:07:11.466+00:00");
    }

    #[test]
    fn callback_times_without_seconds_are_accepted() {
        let at = parse_timestamp("2014-03-07T14:30").unwrap();
        assert_eq!((at.hour(), at.minute()), (14, 30));
    }

    #[test]
    fn empty_or_garbage_timestamps_are_none() {
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
