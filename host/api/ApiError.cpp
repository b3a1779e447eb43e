#include "api/ApiError.h"

#include "util/JsonWriter.h"

namespace rportd::api {

std::string ApiError::body() const {
    util::JsonWriter w;
    w.beginObject().key("errors").beginArray();
    for (const auto& e : _entries)
        w.beginObject().key("code").value(e.code).key("title").value(e.title).key("detail").value(e.detail).endObject();
    w.endArray().endObject();
    return w.take();
}

}  // namespace rportd::api
