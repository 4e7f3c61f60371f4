//! The code list of countries: ISO 3166-1 alpha-3, plus the codes ICAO Doc 9303 (Part 3) adds for
//! stateless persons, refugees, international organisations and Kosovo.

/// ISO 3166-1 alpha-3 codes, sorted so that lookups can binary-search.
const ISO_3166_ALPHA_3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF", "ATG", "AUS", "AUT",
    "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL",
    "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF", "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG",
    "COK", "COL", "COM", "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM",
    "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM", "GAB", "GBR",
    "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL", "GTM", "GUF", "GUM", "GUY",
    "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA",
    "JAM", "JEY", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY",
    "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL",
    "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM",
    "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER",
    "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU",
    "SDN", "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM", "TLS", "TON",
    "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VGB",
    "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF", "ZMB", "ZWE",
];

/// Codes that ICAO Doc 9303 uses beside ISO 3166-1 in nationality and issuing-state fields.
const ICAO_SPECIAL_CODES: &[&str] = &[
    "EUE", // European Union
    "RKS", // Kosovo
    "UNA", // specialised agency of the United Nations
    "UNK", // resident of Kosovo, UN interim administration
    "UNO", // United Nations Organization
    "XBA", // African Development Bank
    "XCC", // Caribbean Community
    "XCE", // Council of Europe
    "XCO", // Common Market for Eastern and Southern Africa
    "XDC", // Southern African Development Community
    "XEC", // Economic Community of West African States
    "XES", // Organisation of Eastern Caribbean States
    "XIM", // African Export-Import Bank
    "XOM", // Sovereign Military Order of Malta
    "XPO", // Interpol
    "XXA", // stateless person
    "XXB", // refugee under the 1951 Convention
    "XXC", // refugee, other
    "XXX", // unspecified nationality
];

/// Whether `code` is an ISO 3166-1 alpha-3 code or an ICAO special code.
pub fn is_known_country_code(code: &str) -> bool {
    ISO_3166_ALPHA_3.binary_search(&code).is_ok() || ICAO_SPECIAL_CODES.contains(&code)
}

/// Codes that say the person has no nationality of their own.
pub fn means_stateless(code: &str) -> bool {
    matches!(code, "XXA" | "XXB" | "XXC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_without_duplicates_so_binary_search_works() {
        assert!(ISO_3166_ALPHA_3.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(ISO_3166_ALPHA_3.len(), 249);
    }

    #[test]
    fn known_and_unknown_codes() {
        for code in ["UZB", "TJK", "KGZ", "KAZ", "RUS", "UKR", "ABW", "ZWE", "XXA", "UNO", "RKS"] {
            assert!(is_known_country_code(code), "{code}");
        }
        for code in ["SUN", "YUG", "ZZZ", "D<<", ""] {
            assert!(!is_known_country_code(code), "{code}");
        }
    }
}
