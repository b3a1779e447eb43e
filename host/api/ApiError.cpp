#include "api/ApiError.h"

#include "util/JsonWriter.h"

namespace rportd::api {

std::string ApiError::body() const {
    util::JsonWriter w;
    w.beginObject().key("errors").beginArray().beginObject();
    w.key("code").value(_code).key("title").value(_title).key("detail").value(_detail);
    w.endObject().endArray().endObject();
    return w.take();
}

}  // namespace rportd::api
