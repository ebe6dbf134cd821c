// The in-memory store passes the contract every backend passes; the fault-injecting decorator
// fails exactly the calls it is told to and forwards the rest.
#include "kinora/storage/mem_store.h"

#include <gtest/gtest.h>

#include "kinora/storage/fault_injection.h"
#include "kinora/storage/object_store_contract.h"

namespace kinora::storage {
namespace {

testing::StoreInstance MakeMem() { return {NewMemStore(), nullptr}; }

testing::StoreInstance MakeWrappedMem() {
  // The decorator with no faults planned must be indistinguishable from its target.
  struct Owned final : FaultInjectingStore {
    explicit Owned(std::unique_ptr<ObjectStore> t) : FaultInjectingStore(*t), inner(std::move(t)) {}
    std::unique_ptr<ObjectStore> inner;
  };
  return {std::make_unique<Owned>(NewMemStore()), nullptr};
}

using testing::ObjectStoreContract;
INSTANTIATE_TEST_SUITE_P(Mem, ObjectStoreContract,
                         ::testing::Values(testing::ObjectStoreBackend{"mem", MakeMem},
                                           testing::ObjectStoreBackend{"fault_injecting",
                                                                       MakeWrappedMem}),
                         testing::ObjectStoreBackendName);

TEST(FaultInjectingStore, FailsThePlannedCallOnly) {
  auto mem = NewMemStore();
  FaultInjectingStore store(*mem);
  store.FailAt(StoreOp::kCommit, 1);
  ASSERT_TRUE(PutBytes(store, "a.json", "1"));
  auto second = PutBytes(store, "b.json", "2");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(mem->Head("b.json"));  // the target never saw the commit
  ASSERT_TRUE(PutBytes(store, "c.json", "3"));
  EXPECT_EQ(store.calls(StoreOp::kBeginPut), 3);
  EXPECT_EQ(store.calls(StoreOp::kCommit), 3);

  store.FailAt(StoreOp::kDelete, 0, MakeError(ErrorCode::kPermissionDenied, "no"));
  auto del = store.DeleteMany({"a.json", "c.json"});
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(mem->Head("a.json"));
  store.Reset();
  EXPECT_EQ(store.calls(StoreOp::kDelete), 0);
  EXPECT_TRUE(store.DeleteMany({"a.json", "c.json"}));
  EXPECT_FALSE(mem->Head("c.json"));
}

}  // namespace
}  // namespace kinora::storage
