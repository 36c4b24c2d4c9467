import { taskioVitest } from "@taskio/vitest-config";

export default taskioVitest();
