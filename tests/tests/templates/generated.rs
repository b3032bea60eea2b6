//! Each template rendered outside the workspace, then built and tested with cargo.

use super::project::Project;
use super::render::Template;

#[test]
fn sysadmin_project_builds_and_passes_its_tests() {
    let given = [("subsystem", "cpu_floor"), ("maintainer", "Ops team (site A)")];
    let project = Project::render(&Template::named("sysadmin"), &given);
    assert_eq!(project.cargo_test(), 5);
}

#[test]
fn vendor_project_builds_and_passes_its_tests() {
    let given = [("vendor", "initech"), ("vendor_name", "Initech Corp."), ("subsystem", "tps")];
    let project = Project::render(&Template::named("vendor"), &given);
    assert_eq!(project.cargo_test(), 7);
}
