//! The cargo-generate templates of `templates/`, rendered, built and tested as a
//! user gets them: in a directory outside the workspace, depending on the crates by
//! version.
//!
//! The rendering is done here, not by cargo-generate: installing cargo-generate
//! compiles some 300 crates, minutes of CI on two cores, for a step this renderer
//! does in milliseconds. It follows cargo-generate's rules for the subset of
//! features the templates use (see `templates/render.rs`) and refuses the rest, so
//! the templates cannot drift into something this check would skip. That the
//! templates also work with the real cargo-generate is checked by hand, as
//! `templates/README.md` describes.

mod templates {
    pub(crate) mod generated;
    pub(crate) mod manifest;
    pub(crate) mod project;
    pub(crate) mod render;
    pub(crate) mod renderer;
}
