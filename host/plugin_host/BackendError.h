#pragma once
// Thrown when a configured backend cannot be brought up: not loaded, or its
// create() failed. The message names the kind, the backend and the reason,
// ready for the operator, e.g.
//   client-auth plugin "file": create failed: cannot read "/x.json": No such file
#include <stdexcept>

namespace rportd::plugin_host {

class BackendError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace rportd::plugin_host
