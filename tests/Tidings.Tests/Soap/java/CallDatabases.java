import api.InputAccountDatabases;
import api.POMPortType;
import api.POMSOAPAPI;
import api.Result;
import java.net.URL;

/** A client written against the proxy wsimport generates from the WSDL: Account_databases with a token, prints the total. */
public class CallDatabases {
    public static void main(String[] args) throws Exception {
        POMPortType port = new POMSOAPAPI(new URL(args[0])).getPOMPort();
        InputAccountDatabases input = new InputAccountDatabases();
        input.setAccessToken(args[1]);
        Result result = port.accountDatabases(input);
        System.out.println("total=" + result.getTotal());
    }
}
