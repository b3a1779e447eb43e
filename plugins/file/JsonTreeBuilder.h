#pragma once
// Builds a document tree for small JSON files, whatever the top level is.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/ParseHandler.h>

namespace rport::plugins::file_auth {

// Poco's ParseHandler fails on a document that is a single scalar ("null",
// "42") with a confusing "empty stack" error. This one keeps such a value, so
// the caller can say what it expected instead, and treats containers as
// ParseHandler does.
class JsonTreeBuilder final : public Poco::JSON::ParseHandler {
public:
    // The whole document: an Object::Ptr or Array::Ptr, or the scalar value
    // (empty for null).
    Poco::Dynamic::Var document() const;

    void reset() override;
    void startObject() override;
    void endObject() override;
    void startArray() override;
    void endArray() override;
    void value(int v) override;
    void value(unsigned v) override;
#if defined(POCO_HAVE_INT64)
    void value(Poco::Int64 v) override;
    void value(Poco::UInt64 v) override;
#endif
    void value(const std::string& s) override;
    void value(double d) override;
    void value(bool b) override;
    void null() override;

private:
    // Into the tree inside a container; kept aside as the document otherwise.
    template <class T>
    void route(const T& v);

    // Containers open right now; 0 = at the top level.
    int _depth = 0;
    bool _sawContainer = false;
    Poco::Dynamic::Var _topLevelScalar;
};

}  // namespace rport::plugins::file_auth
