import { taskioTsup } from "@taskio/tsup-config";

export default taskioTsup();
