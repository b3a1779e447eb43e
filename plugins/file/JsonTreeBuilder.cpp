#include "JsonTreeBuilder.h"

namespace rport::plugins::file_auth {

Poco::Dynamic::Var JsonTreeBuilder::document() const {
    return _sawContainer ? asVar() : _topLevelScalar;
}

void JsonTreeBuilder::reset() {
    ParseHandler::reset();
    _depth = 0;
    _sawContainer = false;
    _topLevelScalar.empty();
}

void JsonTreeBuilder::startObject() {
    ++_depth;
    _sawContainer = true;
    ParseHandler::startObject();
}

void JsonTreeBuilder::endObject() {
    --_depth;
    ParseHandler::endObject();
}

void JsonTreeBuilder::startArray() {
    ++_depth;
    _sawContainer = true;
    ParseHandler::startArray();
}

void JsonTreeBuilder::endArray() {
    --_depth;
    ParseHandler::endArray();
}

template <class T>
void JsonTreeBuilder::route(const T& v) {
    if (_depth > 0)
        ParseHandler::value(v);
    else
        _topLevelScalar = v;
}

void JsonTreeBuilder::value(int v) { route(v); }
void JsonTreeBuilder::value(unsigned v) { route(v); }
#if defined(POCO_HAVE_INT64)
void JsonTreeBuilder::value(Poco::Int64 v) { route(v); }
void JsonTreeBuilder::value(Poco::UInt64 v) { route(v); }
#endif
void JsonTreeBuilder::value(const std::string& s) { route(s); }
void JsonTreeBuilder::value(double d) { route(d); }
void JsonTreeBuilder::value(bool b) { route(b); }

void JsonTreeBuilder::null() {
    if (_depth > 0)
        ParseHandler::null();
    else
        _topLevelScalar.empty();
}

}  // namespace rport::plugins::file_auth
