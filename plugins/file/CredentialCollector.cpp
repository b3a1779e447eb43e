#include "CredentialCollector.h"

#include <utility>

namespace rport::plugins::file_auth {

void CredentialCollector::reset() {
    _position = Position::BeforeDocument;
    _pendingId.clear();
    _entryNumber = 0;
    _entries.clear();
    _problem.clear();
}

void CredentialCollector::fail(std::string message) {
    if (_problem.empty()) _problem = std::move(message);
}

// Ids are quoted as written; an empty id can only be named by its position.
std::string CredentialCollector::entryName() const {
    if (_pendingId.empty()) return "entry #" + std::to_string(_entryNumber);
    return "entry \"" + _pendingId + "\"";
}

void CredentialCollector::onNonStringValue(const char* what) {
    if (!_problem.empty()) return;
    switch (_position) {
        case Position::BeforeDocument:
            fail(std::string("the top level must be a JSON object mapping client auth ids to "
                             "passwords, found ") +
                 what);
            break;
        case Position::AfterKey:
            fail(entryName() + ": the password must be a JSON string, found " + what);
            break;
        default:
            // The parser only produces well-formed event sequences; nothing else can arrive here.
            fail(std::string("unexpected ") + what);
            break;
    }
}

void CredentialCollector::onString(const std::string& v) {
    if (!_problem.empty()) return;
    if (_position != Position::AfterKey) return onNonStringValue("a string");
    if (_pendingId.empty()) return fail(entryName() + ": empty client auth id is not allowed");
    if (v.empty()) return fail(entryName() + ": empty password is not allowed");
    _entries.push_back(Credential{std::move(_pendingId), v});
    _pendingId.clear();
    _position = Position::InObject;
}

void CredentialCollector::startObject() {
    if (!_problem.empty()) return;
    if (_position == Position::BeforeDocument) {
        _position = Position::InObject;
        return;
    }
    onNonStringValue("an object");
}

void CredentialCollector::endObject() {
    if (!_problem.empty()) return;
    if (_position == Position::InObject) _position = Position::AfterDocument;
}

void CredentialCollector::startArray() { onNonStringValue("an array"); }
void CredentialCollector::endArray() {}

void CredentialCollector::key(const std::string& k) {
    if (!_problem.empty()) return;
    ++_entryNumber;
    _pendingId = k;
    _position = Position::AfterKey;
}

void CredentialCollector::null() { onNonStringValue("null"); }
void CredentialCollector::value(int) { onNonStringValue("a number"); }
void CredentialCollector::value(unsigned) { onNonStringValue("a number"); }
#if defined(POCO_HAVE_INT64)
void CredentialCollector::value(Poco::Int64) { onNonStringValue("a number"); }
void CredentialCollector::value(Poco::UInt64) { onNonStringValue("a number"); }
#endif
void CredentialCollector::value(const std::string& v) { onString(v); }
void CredentialCollector::value(double) { onNonStringValue("a number"); }
void CredentialCollector::value(bool) { onNonStringValue("a boolean"); }

}  // namespace rport::plugins::file_auth
