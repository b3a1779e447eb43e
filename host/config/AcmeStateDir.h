#pragma once
// Whether the ACME client will be able to keep its account key and
// certificates in <data_dir>/acme. Asked while reading the configuration, so
// a data_dir the ACME client cannot use stops the start (and --check-config)
// with the fix, instead of failing at the first issuance.
#include <string>

namespace rportd::config {

// <data_dir>/acme: the directory the host hands the acme backend as its
// state directory (<data_dir>/<backend name>).
std::string acmeStateDir(const std::string& dataDir);

// "" when usable, else what is wrong and what to do, naming the path. When
// the directory exists it must be a real directory (not a symbolic link:
// keys must not be written where a link points) that this process may
// write. When it does not, the nearest existing ancestor must be a directory
// this process may write, because the host creates the rest at start.
std::string acmeStateDirProblem(const std::string& dataDir);

}  // namespace rportd::config
