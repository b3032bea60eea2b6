//! `word_enum!`: a closed set of words, each variant written once with its spelling.
//!
//! The runtime's word enums ([`Command`](super::Command), [`Family`](super::Family),
//! [`Phase`](super::Phase), the AIX commands and signals) are declared through it,
//! so that a script's build needs no derive crate for them (ARCHITECTURE.md,
//! "Decisions worth knowing").

/// Declares a fieldless enum from one list of `Variant = "word"` rows and generates
/// from it `ALL` (every variant, in the order written), `as_str`, `Display` (which
/// honours width and alignment, as `str` does) and `From<Enum> for &'static str`.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $word:expr,)+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            #[doc = concat!("Every `", stringify!($name), "`, in the order of its declaration.")]
            $vis const ALL: &'static [$name] = &[$($name::$variant),+];

            #[doc = concat!("The word of this `", stringify!($name), "`, as `Display` writes it.")]
            $vis const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::core::convert::From<$name> for &'static str {
            fn from(value: $name) -> &'static str {
                value.as_str()
            }
        }
    };
}

pub(crate) use word_enum;

#[cfg(test)]
mod tests {
    word_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Colour {
            Red = "red",
            DarkBlue = "dark blue",
        }
    }

    #[test]
    fn every_row_gives_its_word_everywhere() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.as_str(), "dark blue");
        assert_eq!(<&str>::from(Colour::Red), "red");
        assert_eq!(format!("[{:>5}|{:<4}]", Colour::Red, Colour::Red), "[  red|red ]");
    }
}
