//! Collects every independent mistake in a declaration so they are reported at once.

use proc_macro2::Span;

/// An accumulator of spanned compile errors (serde's `Ctxt`, simplified).
#[derive(Default)]
pub(crate) struct Errors {
    combined: Option<syn::Error>,
    count: usize,
}

impl Errors {
    /// Records a mistake at `span`.
    pub(crate) fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push_error(syn::Error::new(span, message));
    }

    /// Records an error that already carries its span.
    pub(crate) fn push_error(&mut self, error: syn::Error) {
        self.count += 1;
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// How many mistakes were recorded so far.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Whether any mistake was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.combined.is_none()
    }

    /// All recorded mistakes as one error, if any.
    pub(crate) fn into_error(self) -> Option<syn::Error> {
        self.combined
    }
}
