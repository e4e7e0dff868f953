//! The words the finder reads, in lower case: month and weekday names, currencies, multipliers, unit nouns and the
//! labels that say what a number is. Russian, Ukrainian and English.

use crate::Weekday;

/// The month a word names, in any case form a date uses (nominative, genitive, locative) or as an abbreviation.
/// `abbreviated` is true for the short forms, which in Cyrillic need a following full stop to count (лист., бер.).
pub(crate) fn month(word: &str) -> Option<(u8, bool)> {
    let full = match word {
        "январь" | "января" | "январе" | "січень" | "січня" | "січні" | "january" => {
            1
        }
        "февраль" | "февраля" | "феврале" | "лютий" | "лютого" | "лютому" | "february" => {
            2
        }
        "март" | "марта" | "марте" | "березень" | "березня" | "березні" | "march" => {
            3
        }
        "апрель" | "апреля" | "апреле" | "квітень" | "квітня" | "квітні" | "april" => {
            4
        }
        "май" | "мая" | "мае" | "травень" | "травня" | "травні" | "may" => 5,
        "июнь" | "июня" | "июне" | "червень" | "червня" | "червні" | "june" => 6,
        "июль" | "июля" | "июле" | "липень" | "липня" | "липні" | "july" => 7,
        "август" | "августа" | "августе" | "серпень" | "серпня" | "серпні" | "august" => {
            8
        }
        "сентябрь" | "сентября" | "сентябре" | "вересень" | "вересня" | "вересні" | "september" => {
            9
        }
        "октябрь" | "октября" | "октябре" | "жовтень" | "жовтня" | "жовтні" | "october" => {
            10
        }
        "ноябрь" | "ноября" | "ноябре" | "листопад" | "листопада" | "листопаді" | "november" => {
            11
        }
        "декабрь" | "декабря" | "декабре" | "грудень" | "грудня" | "грудні" | "december" => {
            12
        }
        _ => 0,
    };
    if full != 0 {
        return Some((full, false));
    }
    let short = match word {
        "янв" | "січ" | "jan" => 1,
        "фев" | "февр" | "лют" | "feb" => 2,
        "мар" | "бер" | "mar" => 3,
        "апр" | "квіт" | "apr" => 4,
        "трав" => 5,
        "июн" | "черв" | "jun" => 6,
        "июл" | "лип" | "jul" => 7,
        "авг" | "серп" | "aug" => 8,
        "сен" | "сент" | "вер" | "sep" | "sept" => 9,
        "окт" | "жовт" | "oct" => 10,
        "ноя" | "нояб" | "лист" | "nov" => 11,
        "дек" | "груд" | "dec" => 12,
        _ => return None,
    };
    Some((short, true))
}

/// The weekday a word names (full names in the cases a date uses, and the usual abbreviations).
pub(crate) fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "понедельник" | "понеділок" | "monday" | "пн" | "mon" => Weekday::Monday,
        "вторник" | "вівторок" | "tuesday" | "вт" | "tue" | "tues" => Weekday::Tuesday,
        "среда" | "среду" | "середа" | "середу" | "wednesday" | "ср" | "wed" => {
            Weekday::Wednesday
        }
        "четверг" | "четвер" | "thursday" | "чт" | "thu" | "thurs" => Weekday::Thursday,
        "пятница" | "пятницу" | "п'ятниця" | "п'ятницю" | "п’ятниця" | "п’ятницю" | "friday" | "пт" | "fri" => {
            Weekday::Friday
        }
        "суббота" | "субботу" | "субота" | "суботу" | "saturday" | "сб" | "sat" => {
            Weekday::Saturday
        }
        "воскресенье" | "неділя" | "неділю" | "sunday" | "вс" | "нд" | "sun" => {
            Weekday::Sunday
        }
        _ => return None,
    })
}

/// Words after a year that belong to the date: г., года, року, р.
pub(crate) fn is_year_word(word: &str) -> bool {
    matches!(word, "г" | "года" | "году" | "год" | "гг" | "р" | "року" | "рік" | "році")
}

/// Words for "week" after an ordinal (40-я неделя, 40-й тиждень) or before a number (week 40).
pub(crate) fn is_week_word(word: &str) -> bool {
    matches!(word, "неделя" | "недели" | "неделе" | "неделю" | "тиждень" | "тижня" | "тижні" | "week")
}

/// The ISO 4217 code of a currency word written after the amount (руб., гривень, долларов, EUR...).
pub(crate) fn currency_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "руб" | "рубль" | "рубля" | "рублей" | "рублях" | "рублів" | "рублі" | "rub" | "rur" | "roubles" | "rubles" => {
            "RUB"
        }
        "грн" | "гривня" | "гривні" | "гривень" | "гривен" | "гривны" | "гривну" | "гривнях" | "uah" | "hryvnias" => {
            "UAH"
        }
        "долл" | "дол" | "доллар" | "доллара" | "долларов" | "долар" | "долара" | "доларів" | "долари" | "usd"
        | "dollar" | "dollars" => "USD",
        "евро" | "євро" | "eur" | "euro" | "euros" => "EUR",
        "gbp" => "GBP",
        "юаней" | "юанів" | "юань" | "юаня" | "cny" | "rmb" => "CNY",
        "тенге" | "kzt" => "KZT",
        "chf" => "CHF",
        "jpy" | "иен" | "ієн" => "JPY",
        "byn" => "BYN",
        _ => return None,
    })
}

/// A currency sign or code written before or right after the digits ($100, €5, 100₽).
pub(crate) fn currency_sign(c: char) -> Option<&'static str> {
    Some(match c {
        '$' => "USD",
        '€' => "EUR",
        '£' => "GBP",
        '₽' => "RUB",
        '₴' => "UAH",
        '₸' => "KZT",
        _ => return None,
    })
}

/// A currency code written before the amount (USD 100, EUR 5 m).
pub(crate) fn currency_code_before(word: &str) -> Option<&'static str> {
    Some(match word {
        "USD" => "USD",
        "EUR" => "EUR",
        "RUB" | "RUR" => "RUB",
        "UAH" => "UAH",
        "GBP" => "GBP",
        "CHF" => "CHF",
        "CNY" => "CNY",
        "KZT" => "KZT",
        "BYN" => "BYN",
        "JPY" => "JPY",
        _ => return None,
    })
}

/// Adjectives that may stand between an amount and its currency (российских рублей, долларов США comes after).
pub(crate) fn currency_adjective(word: &str) -> Option<Option<&'static str>> {
    Some(match word {
        "российских" | "російських" | "американских" | "американських" => {
            None
        }
        "белорусских" | "білоруських" => Some("BYN"),
        _ => return None,
    })
}

/// The power of ten a multiplier word stands for. `attached_only` for single letters (5m, 3k), which count only
/// written right after the digits and with a currency.
pub(crate) fn multiplier(word: &str) -> Option<(u32, bool)> {
    Some(match word {
        "тыс" | "тысяч" | "тысячи" | "тысяча" | "тис" | "тисяч" | "тисячі" | "тисяча" | "thousand" | "thousands" => {
            (3, false)
        }
        "млн" | "миллион" | "миллиона" | "миллионов" | "мільйон" | "мільйона" | "мільйонів" | "million"
        | "millions" | "mln" | "mn" => (6, false),
        "млрд"
        | "миллиард"
        | "миллиарда"
        | "миллиардов"
        | "мільярд"
        | "мільярда"
        | "мільярдів"
        | "billion"
        | "billions"
        | "bn"
        | "bln" => (9, false),
        "трлн"
        | "триллион"
        | "триллиона"
        | "триллионов"
        | "трильйон"
        | "трильйона"
        | "трильйонів"
        | "trillion"
        | "trillions"
        | "tn" => (12, false),
        "k" => (3, true),
        "m" => (6, true),
        "b" => (9, true),
        _ => return None,
    })
}

/// Words for "percent" after a number.
pub(crate) fn is_percent_word(word: &str) -> bool {
    matches!(
        word,
        "процент"
            | "процента"
            | "процентов"
            | "процентах"
            | "відсоток"
            | "відсотка"
            | "відсотків"
            | "відсотки"
            | "percent"
    )
}

/// The unit a counted noun names: people, employees, pieces.
pub(crate) fn unit_noun(word: &str) -> Option<&'static str> {
    Some(match word {
        "человек" | "человека" | "людей" | "чел" | "осіб" | "особи" | "особа" | "людини" | "people" | "persons" => {
            "person"
        }
        "сотрудник"
        | "сотрудника"
        | "сотрудников"
        | "работник"
        | "работника"
        | "работников"
        | "співробітник"
        | "співробітника"
        | "співробітників"
        | "працівник"
        | "працівника"
        | "працівників"
        | "employees" => "employee",
        "шт" | "штук" | "штуки" | "штука" | "pcs" | "pieces" => "piece",
        _ => return None,
    })
}
