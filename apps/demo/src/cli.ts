console.log("taskio demo");
