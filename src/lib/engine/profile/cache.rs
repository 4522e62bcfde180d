//! `cache`: where query results are kept (engine spec §1.4, §1.7). Empty
//! means in-process only; `redis` shares results across runs.

use serde_json::{Map, Value};

use super::error::ProfileError;
use super::values;

/// The `cache` property.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheConfig {
    /// A shared Redis cache, if configured.
    pub redis: Option<RedisCache>,
}

/// `cache.redis`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedisCache {
    /// `host:port`.
    pub server: String,
    /// Upper bound, in seconds, on how long a result is shared; `None`
    /// leaves it to record TTLs.
    pub expire: Option<u64>,
}

impl CacheConfig {
    /// Reads `cache`: only the key `redis` is known.
    pub(super) fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let mut config = CacheConfig::default();
        for (key, field) in values::object(path, value)? {
            let key_path = values::child(path, key);
            match key.as_str() {
                "redis" => config.redis = Some(RedisCache::parse(&key_path, field)?),
                _ => return Err(ProfileError::UnknownProperty { path: key_path }),
            }
        }
        Ok(config)
    }

    /// The JSON form, `{}` when empty.
    pub(super) fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(redis) = &self.redis {
            let mut fields = Map::new();
            fields.insert("server".to_owned(), Value::from(redis.server.clone()));
            if let Some(expire) = redis.expire {
                fields.insert("expire".to_owned(), Value::from(expire));
            }
            map.insert("redis".to_owned(), Value::Object(fields));
        }
        Value::Object(map)
    }
}

impl RedisCache {
    fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let mut server = None;
        let mut expire = None;
        for (key, field) in values::object(path, value)? {
            let key_path = values::child(path, key);
            match key.as_str() {
                "server" => server = Some(Self::parse_server(&key_path, field)?),
                "expire" => expire = Some(values::integer(&key_path, field, 0, u64::MAX)?),
                _ => return Err(ProfileError::UnknownProperty { path: key_path }),
            }
        }
        let server = server.ok_or_else(|| ProfileError::WrongType {
            path: path.to_owned(),
            expected: "an object with `server`",
            value: values::shown(value),
        })?;
        Ok(Self { server, expire })
    }

    fn parse_server(path: &str, value: &Value) -> Result<String, ProfileError> {
        let text = values::string(path, value)?;
        let is_valid = text.rsplit_once(':').is_some_and(|(host, port)| {
            !host.is_empty() && !host.contains(char::is_whitespace) && port.parse::<u16>().is_ok()
        });
        if is_valid {
            Ok(text.to_owned())
        } else {
            Err(ProfileError::BadCacheServer {
                path: path.to_owned(),
                value: text.to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn redis_takes_server_and_expire() {
        let config = CacheConfig::parse(
            "cache",
            &json!({"redis": {"server": "127.0.0.1:6379", "expire": 600}}),
        )
        .unwrap();
        let redis = config.redis.clone().unwrap();
        assert_eq!(
            (redis.server.as_str(), redis.expire),
            ("127.0.0.1:6379", Some(600))
        );
        assert_eq!(
            CacheConfig::parse("cache", &config.to_json()).unwrap(),
            config
        );
        assert_eq!(CacheConfig::default().to_json(), json!({}));
    }

    #[test]
    fn other_keys_and_bad_servers_are_rejected() {
        let error = CacheConfig::parse("cache", &json!({"memcached": {}})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown profile property `cache.memcached`"
        );
        let error =
            CacheConfig::parse("cache", &json!({"redis": {"server": "localhost"}})).unwrap_err();
        assert!(error.to_string().contains("`localhost`"));
        assert!(CacheConfig::parse("cache", &json!({"redis": {"server": "h:99999"}})).is_err());
        assert!(CacheConfig::parse("cache", &json!({"redis": {"expire": 5}})).is_err());
    }
}
