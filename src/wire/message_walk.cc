#include "wire/message_walk.h"

#include <algorithm>

namespace collabflow::internal {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void FindAllOfType(const Message& root, const Descriptor* type, std::vector<const Message*>* out) {
  const Reflection* reflection = root.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(root, &fields);  // set fields, in field-number order
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) continue;
    auto visit = [&](const Message& m) {
      if (m.GetDescriptor() == type) {
        out->push_back(&m);
      } else {
        FindAllOfType(m, type, out);
      }
    };
    if (f->is_repeated()) {
      const int n = reflection->FieldSize(root, f);
      for (int i = 0; i < n; ++i) visit(reflection->GetRepeatedMessage(root, f, i));
    } else {
      visit(reflection->GetMessage(root, f));
    }
  }
}

}  // namespace collabflow::internal
