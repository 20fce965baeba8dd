//! Fresh identifiers in the shapes AWS uses for them.

use rand::Rng;

const HEX: &[u8] = b"0123456789abcdef";

fn random_hex(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(HEX[rng.gen_range(0..HEX.len())]))
        .collect()
}

/// `len` random characters from `A-Z0-9`, as in access key ids.
pub fn random_upper_alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// A random version-4 UUID in lowercase hex, as used for request ids and issuer ids.
pub fn uuid_v4() -> String {
    let mut bytes: [u8; 16] = rand::thread_rng().gen();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A secret for the inspection endpoints: 128 random bits, hex.
pub fn random_token() -> String {
    let bytes: [u8; 16] = rand::thread_rng().gen();
    hex::encode(bytes)
}

/// An instance id: `ssoins-` and 16 characters.
pub fn instance_id() -> String {
    format!("ssoins-{}", random_hex(16))
}

/// An application id: `apl-` and 16 alphanumerics.
pub fn application_id() -> String {
    format!("apl-{}", random_hex(16))
}

/// A trusted token issuer id: `tti-` and a v4 UUID.
pub fn trusted_token_issuer_id() -> String {
    format!("tti-{}", uuid_v4())
}

/// An identity store id: `d-` and 10 hex digits.
pub fn identity_store_id() -> String {
    format!("d-{}", random_hex(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn ids_have_the_aws_prefixes_and_lengths() {
        assert_eq!(instance_id().len(), "ssoins-".len() + 16);
        assert_eq!(application_id().len(), "apl-".len() + 16);
        assert!(trusted_token_issuer_id().starts_with("tti-"));
        assert_eq!(identity_store_id().len(), 12);
    }
}
