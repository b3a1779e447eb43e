#pragma once
// Sorts the exceptions of Poco's SQLite and MySQL connectors into what the
// caller must do about them.
#include <Poco/Exception.h>

#include <string>

namespace rport::plugins::table {

enum class FailureKind {
    Unavailable,  // connection lost or refused, server busy: retry later (HTTP 503)
    Duplicate,    // unique key violated: the id is taken
    TooLong,      // a value does not fit its column
    Other,        // SQL or schema problem: not fixed by waiting
};

struct DbFailure {
    FailureKind kind;
    std::string reason;  // the driver's message, without Poco's decoration
};

DbFailure classify(const Poco::Exception& e);

}  // namespace rport::plugins::table
